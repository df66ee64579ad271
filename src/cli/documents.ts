// Flags the document commands share.
import { Flags } from '@oclif/core';
import { FORMATS, LANGS } from '../core/documents/index.js';

export const documentFlags = {
  format: Flags.string({ summary: 'Output format (repeatable; default: all of md, html, docx, pdf).', options: [...FORMATS], multiple: true }),
  lang: Flags.string({ summary: 'Language (repeatable; default nl).', options: [...LANGS], multiple: true }),
  out: Flags.string({ summary: 'Folder for the files (default: documents/ next to the config).' }),
  templates: Flags.string({ summary: "A folder with the school's own copies of the templates (per language, or one language's files)." }),
  strict: Flags.boolean({ summary: 'Refuse (exit 2) when the compliance check finds anything.' }),
};
