// An argument as it can be pasted into a POSIX shell: as it is when it holds only safe characters, otherwise in
// single quotes (a quote inside as '\''). The demo echoes its commands this way.
export const quote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
