/** A text lookup in the report's language: the command passes the message bundle in (the core reads no files of the CLI). */
export type Text = (key: string, values?: Record<string, string | number>) => string;
