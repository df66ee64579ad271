// What the compliance rules read and what they report. The input is a plain shape (the resolved config fits it),
// so policy stays below config in the dependency order.
import type { Category } from '../retention.js';

export type Severity = 'error' | 'warning';
export type Lang = 'nl' | 'en';
export const DOCUMENT_KINDS = ['reglement', 'protocol', 'sign', 'letter', 'dpia'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface PersonSettings {
  name: string;
  role?: string;
  organisation?: string;
  email?: string;
  phone?: string;
}

export interface ComplianceCamera {
  id: string;
  name?: string;
  location?: string;
  purpose?: string;
  category: Category;
  retention?: string;
  effectiveRetention: string | undefined;
  retentionJustification?: string;
  audio?: boolean;
  /** A classroom camera that records only outside lesson times. */
  outsideLessonsOnly?: boolean;
  recordingHours?: string;
  /** Static privacy masks: a camera with masks has had its view limited. */
  masks?: unknown[];
  authorisation?: {
    decision: string;
    decidedOn?: string;
    suspicion?: string;
    from: string;
    until: string;
    fgAdvice?: { date: string; summary?: string };
    staffConsent?: { date: string };
  };
}

export interface DocumentStatusSettings {
  status?: 'concept' | 'vastgesteld';
  adoptedOn?: string;
  revisionDate?: string;
}

/** The settings the rules read: the resolved config has this shape. */
export interface ComplianceInput {
  school: { name: string; board?: string; timezone: string; email?: string; phone?: string; website?: string; publicAuthority?: boolean };
  privacy: {
    controller?: string;
    legalBasis?: 'legitimate-interest' | 'public-task';
    purposes?: string[];
    fg?: PersonSettings;
    beheerder?: PersonSettings & { external?: boolean; processorAgreement?: { date: string; reference?: string } };
    viewers?: { role: string; name?: string }[];
    consent?: { body: 'MR' | 'GMR'; date: string };
    signage?: { confirmed: boolean; date?: string };
    audio?: boolean;
    safetyPolicy?: string;
    securityPlan?: string;
    securityMeasures?: string[];
    publicTaskBasis?: string;
    recordingHours?: string;
    liveViewing?: boolean;
    remoteAccess?: boolean;
    complaints?: { contact?: string; regulation?: string };
    information?: { url?: string; place?: string };
    retentionJustification?: Partial<Record<Category, string>>;
    /** Recording practices without a camera in the inventory (Teams lessons, phones …). */
    practices?: Category[];
  };
  cameras: ComplianceCamera[];
  retention: Record<Category, string | undefined>;
  documents: Partial<Record<DocumentKind, DocumentStatusSettings>>;
}

export interface ComplianceContext {
  /** The moment of the check (ms since the epoch). */
  now: number;
  /** The latest version of each document the register keeps, when the register was read. */
  versions?: Partial<Record<DocumentKind, { version: number; createdAt: string }>>;
  /** The DPIA's questions left unanswered, when its answers were read. */
  dpiaUnanswered?: string[];
  /** The DPIA's answers as one text, when they were read (to catch claims the settings contradict). */
  dpiaText?: string;
  /** Dates (YYYY-MM-DD) of the DPIA's FG advice and board decision, when its answers were read. */
  dpiaSignOff?: { fgAdvice?: string; decision?: string };
}

/** One place a rule found a problem; its values fill the placeholders of the rule's messages. */
export interface Hit {
  subject?: string;
  values?: Record<string, string>;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** Seed and clause, or law article. */
  source: string;
  message: Record<Lang, string>;
  check(input: ComplianceInput, context: ComplianceContext): Hit[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** The message in the language asked for. */
  message: string;
  messages: Record<Lang, string>;
  source: string;
  /** What it is about: a camera id, a document, a config key. */
  subject?: string;
}

export interface ComplianceReport {
  checkedAt: string;
  errors: number;
  warnings: number;
  findings: Finding[];
}
