// CSV for spreadsheets (RFC 4180). A cell that a spreadsheet would run as a formula is prefixed with ' : the texts
// come from people (reasons, case names) and the file is opened by a privacy officer.
export function csv(headers: string[], rows: (string | number)[][], separator = ','): string {
  const cell = (v: string | number): string => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
    return s.includes(separator) || /["\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [headers, ...rows].map((r) => r.map(cell).join(separator)).join('\r\n') + '\r\n';
}
