// The one model every format is rendered from: a document is metadata (title page) and a list of blocks.
import type { DocumentKind, Lang } from '../policy/compliance/index.js';

export type { DocumentKind, Lang };
export const FORMATS = ['md', 'html', 'docx', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];
export const LANGS = ['nl', 'en'] as const;
/** The documents `reglement render` makes; the DPIA has its own command. */
export const REGLEMENT_DOCUMENTS = ['reglement', 'protocol', 'sign', 'letter'] as const;
/**
 * What is rendered: the documents, and the confidential annex on hidden cameras (to the DPIA and the protocol),
 * made only when there is a hidden camera and never published.
 */
export type RenderKind = DocumentKind | 'covert-annex';

export interface Inline {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

/** A list item; nested items follow their parent with a higher level (and their own list's kind). */
export interface ListItem {
  level: number;
  ordered: boolean;
  runs: Inline[];
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; text: string }
  | { kind: 'paragraph'; runs: Inline[] }
  | { kind: 'list'; ordered: boolean; start?: number; items: ListItem[] }
  | { kind: 'table'; header: Inline[][]; rows: Inline[][][] }
  | { kind: 'note'; runs: Inline[] }
  | { kind: 'pictogram' }
  | { kind: 'pagebreak' };

export interface DocumentMeta {
  title: string;
  subtitle?: string;
  /** A title page with the rows below (the sign has none: it is a poster). */
  titlePage: boolean;
  /** Large type for a sign on a wall (front matter `poster: true`). */
  poster: boolean;
  /** Label and value rows of the title page: school, version, status, date, consent, revision, inputs hash. */
  titleRows: [string, string][];
  /** Running footer text, e.g. "Camerareglement · versie 3 · concept". */
  footer: string;
  /** Page-number label with {page} and {pages}. */
  pageLabel: string;
  version: number;
  status: 'concept' | 'vastgesteld';
  inputsHash: string;
}

export interface DocumentModel {
  /** A document of the school, or a letter to one person (correspondence: no title page, no version history). */
  kind: RenderKind | 'correspondence';
  lang: Lang;
  meta: DocumentMeta;
  blocks: Block[];
}

/** Plain text of inline runs. */
export const plain = (runs: Inline[]): string => runs.map((r) => r.text).join('');

/** The number or bullet of each item of a list ("3.", "b)", "•"), counted per nesting level from the list's start. */
export function listMarkers(list: { start?: number; items: ListItem[] }): string[] {
  const counters: number[] = [];
  return list.items.map((item) => {
    counters.length = item.level + 1;
    counters[item.level] = (counters[item.level] ?? (item.level === 0 ? (list.start ?? 1) - 1 : 0)) + 1;
    if (!item.ordered) return item.level ? '–' : '•';
    return item.level % 2 === 1 ? `${String.fromCharCode(96 + counters[item.level]!)})` : `${counters[item.level]}.`;
  });
}
