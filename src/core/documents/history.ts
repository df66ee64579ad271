// The versions the register keeps of a document: when what changed, and the difference between two.
import { UsageError } from '../errors.js';
import type { DocumentVersion, Register } from '../register/index.js';
import { diffInputs, diffText, type Change } from './diff.js';
import type { DocumentKind, Lang } from './types.js';

export interface HistoryEntry {
  version: number;
  createdAt: string;
  createdBy: string;
  status: string;
  inputsHash: string;
  /** What changed since the version before (empty for the first). */
  changes: Change[];
  rendered: { lang: string; format: string; file: string; renderedAt: string }[];
}

export async function documentHistory(register: Register, document: DocumentKind): Promise<HistoryEntry[]> {
  const versions = await register.documentVersions(document);
  return versions.map((v, i) => ({
    version: v.version,
    createdAt: v.createdAt,
    createdBy: v.createdBy.user,
    status: v.status,
    inputsHash: v.inputsHash,
    changes: i === 0 ? [] : diffInputs(versions[i - 1]!.inputs, v.inputs),
    rendered: v.renders.map((r) => ({ lang: r.lang, format: r.format, file: r.file, renderedAt: r.renderedAt })),
  }));
}

export interface VersionDiff {
  document: DocumentKind;
  from: number;
  to: number;
  lang: Lang;
  changes: Change[];
  /** Unified diff of the two texts in `lang`, when both were rendered in it. */
  text?: string;
}

async function version(register: Register, document: DocumentKind, n: number): Promise<DocumentVersion> {
  const v = await register.documentVersion(document, n);
  if (v) return v;
  const all = await register.documentVersions(document);
  throw new UsageError(
    'document.no-version',
    all.length
      ? `There is no version ${n} of the ${document}; the register has versions ${all.map((x) => x.version).join(', ')} (see \`history\`).`
      : `The register has no version of the ${document} yet; render it first.`,
  );
}

export async function documentDiff(register: Register, document: DocumentKind, from: number, to: number, lang: Lang): Promise<VersionDiff> {
  const a = await version(register, document, from);
  const b = await version(register, document, to);
  const ta = a.texts[lang];
  const tb = b.texts[lang];
  return {
    document,
    from,
    to,
    lang,
    changes: diffInputs(a.inputs, b.inputs),
    ...(ta !== undefined && tb !== undefined ? { text: diffText(ta, tb, `${document} v${from} (${lang})`, `${document} v${to} (${lang})`) } : {}),
  };
}
