// The configuration contract (toezicht.config.yaml). Other tools and tests rely on it: extend it, never break it.
import * as z from 'zod';
import { CATEGORIES, isRetentionSetting } from '../policy/retention.js';
import { isValidTimeZone } from '../time/index.js';
import { ID_PATTERN, LAYOUTS } from './constants.js';

export { ID_PATTERN, LAYOUTS } from './constants.js';

const id = z
  .string()
  .regex(ID_PATTERN, { message: 'expected an id of letters, digits, "-", "_" or "." (starting with a letter or digit)' });

const timeZone = z.string().refine(isValidTimeZone, { message: 'expected an IANA time zone such as Europe/Amsterdam or UTC' });

const retentionSetting = z
  .string()
  .refine(isRetentionSetting, { message: 'expected an ISO 8601 duration such as P28D, P4W or P10M, or school-year' })
  .meta({ description: 'ISO 8601 duration (P28D, P10M …), school-year (until 31 July), or authorisation (covert: the authorised period)' });

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/, { message: 'expected a date such as 2026-10-20 (or a date-time)' });


const layoutFields = {
  layout: z.enum(LAYOUTS).meta({ description: 'How segment files are named: frigate, synology or pattern' }),
  pattern: z
    .string()
    .optional()
    .meta({ description: 'For layout pattern: path with {camera} {YYYY} {MM} {DD} {HH} {mm} {ss}, e.g. {camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4' }),
  segmentSeconds: z
    .number()
    .int()
    // min(1), not positive(): its message is "must be at least 1", where positive() would say "at least 0".
    .min(1)
    .optional()
    .meta({ description: 'Longest length of one segment file in seconds (default: 10 for frigate, 60 otherwise); overestimate rather than under' }),
  timezone: timeZone.optional().meta({ description: 'Time zone of the times in the paths (pattern, synology); default: school.timezone' }),
};

const fsStorage = z
  .strictObject({
    id: id.meta({ description: 'Name the cameras use to point at this storage' }),
    type: z.literal('fs').meta({ description: 'A folder on this machine or a mounted share' }),
    root: z.string().min(1).meta({ description: 'Top folder of the footage; relative paths are relative to the config file' }),
    ...layoutFields,
  })
  .meta({ description: 'Footage in a file tree' });

const s3Storage = z
  .strictObject({
    id: id.meta({ description: 'Name the cameras use to point at this storage' }),
    type: z.literal('s3').meta({ description: 'An S3-compatible object store (Ceph, MinIO, a cloud provider)' }),
    endpoint: z
      .string()
      .regex(/^https?:\/\/[^\s/]+/, { message: 'expected the URL of the S3 service, e.g. https://s3.bestuur.nl' })
      .optional()
      .meta({ description: 'URL of the S3 service (default: AWS for the region)' }),
    region: z.string().min(1).default('us-east-1').meta({ description: 'Region to sign requests for (default us-east-1; Ceph and MinIO accept it)' }),
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'expected an S3 bucket name (3–63 lower-case letters, digits, "." or "-")' })
      .meta({ description: 'The bucket that holds the footage' }),
    prefix: z
      .string()
      .regex(/^[^/].*\/$|^$/, { message: 'expected a key prefix that ends with "/" and does not start with one, e.g. "klimop/frigate/"' })
      .default('')
      .meta({ description: 'Key prefix of the footage inside the bucket, ending in "/" (default: the whole bucket); the layout applies to the keys after it' }),
    forcePathStyle: z.boolean().default(false).meta({ description: 'Address the bucket in the path (http://host/bucket/key), as Ceph and MinIO usually need' }),
    credentials: z
      .string()
      .optional()
      .meta({ description: 'File with accessKeyId and secretAccessKey (YAML, mode 0600), relative to the config file; default: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment' }),
    ...layoutFields,
  })
  .meta({ description: 'Footage as objects in an S3 bucket' });

// A recorder (NVR) keeps footage on its own disks; toezicht reaches it over ONVIF Profile G (docs/recorders.md).
const recorderStorage = z
  .strictObject({
    id: id.meta({ description: 'Name the cameras use to point at this storage' }),
    type: z.literal('recorder').meta({ description: 'A recorder (NVR) that keeps the footage itself, reached over ONVIF Profile G' }),
    address: z
      .string()
      .regex(/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/, { message: 'expected HOST or HOST:PORT of the recorder\'s ONVIF device service, e.g. 10.0.0.5 or 10.0.0.5:8080' })
      .meta({ description: "HOST[:PORT] of the recorder's ONVIF device service (port 80 when left out)" }),
    user: z.string().min(1).optional().meta({ description: 'User to log in as (with passwordEnv); else the credentials file of discovery.credentials' }),
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected the name of an environment variable, e.g. NVR_PASSWORD' })
      .optional()
      .meta({ description: 'Environment variable that holds the password of user (never the password itself in this file)' }),
    preserveTo: id.optional().meta({ description: 'Id of a file-tree or bucket storage where held footage is copied out of the recorder' }),
  })
  .meta({ description: 'Footage on a recorder (NVR), over ONVIF Profile G' });

export const storageSchema = z.discriminatedUnion('type', [fsStorage, s3Storage, recorderStorage]);

const authorisation = z
  .strictObject({
    decision: z.string().min(1).meta({ description: 'The board decision that authorises the hidden camera (reference)' }),
    decidedOn: date.optional(),
    suspicion: z.string().optional().meta({ description: 'The serious, concrete suspicion (seed 001 §5 lid 1)' }),
    from: date.meta({ description: 'Start of the authorised period' }),
    until: date.meta({ description: 'End of the authorised period; footage is deleted after it unless held' }),
    fgAdvice: z
      .strictObject({ date: date.meta({ description: 'Date of the FG advice on this hidden camera' }), summary: z.string().optional() })
      .optional()
      .meta({ description: 'The FG advice on the confidential annex for this hidden camera (AVG art. 35(2))' }),
    staffConsent: z
      .strictObject({ date: date.meta({ description: 'Date the staff section (personeelsgeleding) of the MR consented' }) })
      .optional()
      .meta({ description: 'Consent of the staff section of the MR to hidden surveillance (WMS art. 12)' }),
  })
  .meta({ description: 'Covert cameras only: the authorisation (seed 001 §5)' });

const relativePoint = z
  .tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
  .meta({ description: 'A corner [x, y] as a share of the picture: [0, 0] top left, [1, 1] bottom right' });

export const privacyMaskSchema = z
  .strictObject({
    name: z.string().optional().meta({ description: 'What it hides, e.g. "raam naar tuin buren"' }),
    polygon: z.array(relativePoint).min(3).meta({ description: 'Corners of the area, at least three, in order' }),
  })
  .meta({ description: 'An area always blanked in redacted clips (a window into a neighbour\'s garden, a street)' });

const deviceFacts = z
  .strictObject({
    urn: z.string().optional().meta({ description: 'WS-Discovery endpoint (urn:uuid:…), the key `cameras discover --save` matches on' }),
    serial: z.string().optional().meta({ description: 'Serial number (GetDeviceInformation); matched before the urn' }),
    address: z.string().optional().meta({ description: 'IP address it answered on; `cameras check`, `show` and `snapshot` contact it here' }),
    port: z.number().int().min(1).max(65535).optional().meta({ description: 'Port of its ONVIF device service (default 80)' }),
    manufacturer: z.string().optional(),
    model: z.string().optional(),
    firmware: z.string().optional(),
    hardwareId: z.string().optional(),
    mac: z.string().optional(),
    kind: z.enum(['camera', 'recorder']).optional().meta({ description: 'camera, or recorder (it offers ONVIF recording search)' }),
    seen: date.optional().meta({ description: 'When discovery last saw it' }),
  })
  .meta({ description: 'What the device says about itself; written by `cameras discover --save` (edit name, location, category and purpose, not these)' });

export const cameraSchema = z.strictObject({
  id: id.meta({ description: 'Short id used on the command line' }),
  name: z.string().optional().meta({ description: 'Human name, e.g. Hoofdingang' }),
  location: z.string().optional().meta({ description: 'Where it hangs and what it sees, e.g. "Hoofdingang, binnen"' }),
  purpose: z.string().optional().meta({ description: 'Why this camera is needed (doelbinding)' }),
  category: z.enum(CATEGORIES).meta({ description: 'Recording category; decides the retention period' }),
  storage: id.optional().meta({ description: 'Id of the storage that holds its footage' }),
  path: z.string().min(1).optional().meta({ description: "The camera's name inside the storage layout (default: its id)" }),
  recording: z.string().min(1).optional().meta({ description: "On a recorder storage: the recorder's recording token for this camera (`toezicht cameras show` lists them)" }),
  retention: retentionSetting.optional().meta({ description: 'Overrides the retention of its category for this camera' }),
  since: date.optional().meta({ description: 'Date the camera started recording (avoids false "footage too young" warnings)' }),
  authorisation: authorisation.optional(),
  masks: z
    .array(privacyMaskSchema)
    .optional()
    .meta({ description: 'Static privacy masks: polygons in relative coordinates, blanked in every frame of a redacted clip' }),
  device: deviceFacts.optional(),
  audio: z.boolean().optional().meta({ description: 'true when this camera records sound (not allowed: a compliance error)' }),
  outsideLessonsOnly: z
    .boolean()
    .optional()
    .meta({ description: 'true when a camera in a classroom records only outside lesson times (no surveillance of lessons)' }),
  recordingHours: z.string().optional().meta({ description: "When this camera records, when not the school's privacy.recordingHours, e.g. \"18:00-07:00\"" }),
  retentionJustification: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Why this camera's retention goes beyond its guideline (stated in the DPIA and the regulation)" }),
});

export const schoolSchema = z
  .strictObject({
    id: id.meta({ description: 'Short id of the school, used with --school' }),
    name: z.string().min(1).meta({ description: 'Name of the school' }),
    brin: z.string().optional().meta({ description: 'BRIN code of the school' }),
    storage: z.array(storageSchema).default([]).meta({ description: "Where this school's footage is kept" }),
    cameras: z.array(cameraSchema).default([]).meta({ description: "This school's cameras" }),
  })
  .meta({ description: 'One school of the board' });

const retentionShape = Object.fromEntries(CATEGORIES.map((c) => [c, retentionSetting.optional()])) as Record<
  (typeof CATEGORIES)[number],
  z.ZodOptional<typeof retentionSetting>
>;

// ---- settings the documents and the compliance check read (issue 8); all optional ----

const person = z.strictObject({
  name: z.string().min(1).meta({ description: 'Name of the person (or the firm)' }),
  role: z.string().optional().meta({ description: 'Function, e.g. "functionaris gegevensbescherming"' }),
  organisation: z.string().optional().meta({ description: 'Organisation, when not the school itself' }),
  email: z.string().optional(),
  phone: z.string().optional(),
});

const documentSettings = z.strictObject({
  status: z.enum(['concept', 'vastgesteld']).optional().meta({ description: 'concept (default) or vastgesteld (adopted)' }),
  adoptedOn: date.optional().meta({ description: 'Date the board adopted this document' }),
  adoptedBy: z.string().optional().meta({ description: 'Who adopted it, e.g. "College van Bestuur"' }),
  revisionDate: date.optional().meta({ description: 'Date of the next revision; past it, the compliance check warns' }),
});

export const DOCUMENT_STATUSES = ['concept', 'vastgesteld'] as const;
/** Security measures a school can state it has in place (the documents describe each in words). */
export const SECURITY_MEASURES = ['locked-room', 'encrypted-storage', 'encrypted-transport', 'personal-accounts', 'two-factor', 'access-log', 'network-separation', 'backups'] as const;
/** Recording practices a school may have without a camera in the inventory (Teams lessons, phones …). */
export const PRACTICES = ['coaching', 'online-lesson', 'livestream', 'media'] as const;

const privacySchema = z
  .strictObject({
    controller: z.string().optional().meta({ description: 'The controller (verwerkingsverantwoordelijke); default: school.board, else school.name' }),
    legalBasis: z
      .enum(['legitimate-interest', 'public-task'])
      .optional()
      .meta({ description: 'AVG art. 6(1)(f) legitimate-interest, or 6(1)(e) public-task (openbare school); default from school.publicAuthority' }),
    publicTaskBasis: z
      .string()
      .optional()
      .meta({ description: 'For public-task: the task in Dutch law the surveillance rests on, e.g. "de zorgplicht voor de veiligheid op school (artikel 4c WPO)"' }),
    legitimateInterest: z.string().optional().meta({ description: 'The interest the cameras protect, in words (for the sign, the regulation and the DPIA)' }),
    purposes: z.array(z.string().min(1)).optional().meta({ description: 'The exhaustive purposes of camera surveillance (seed 001 §1.1)' }),
    fg: person.optional().meta({ description: 'The data protection officer (functionaris gegevensbescherming, AVG art. 37)' }),
    beheerder: person
      .extend({
        external: z.boolean().optional().meta({ description: 'true when a firm outside the school manages the system' }),
        processorAgreement: z
          .strictObject({ date: date.meta({ description: 'Date the processor agreement was signed' }), reference: z.string().optional() })
          .optional()
          .meta({ description: 'The verwerkersovereenkomst with an external beheerder (seed 000)' }),
      })
      .optional()
      .meta({ description: 'Who manages the camera system (seed 001 §1.2 lid 2)' }),
    viewers: z
      .array(z.strictObject({ role: z.string().min(1), name: z.string().optional() }))
      .optional()
      .meta({ description: 'Who may operate the system and view images (seed 001 §1.2 lid 3); default: the beheerder and the school management' }),
    consent: z
      .strictObject({
        body: z.enum(['MR', 'GMR']).default('MR').meta({ description: 'MR or GMR' }),
        date: date.meta({ description: 'Date the (G)MR consented (instemming)' }),
      })
      .optional()
      .meta({ description: 'Consent of the participation council (seed 000, seed 001)' }),
    signage: z
      .strictObject({
        confirmed: z.boolean().meta({ description: 'true once signs hang at the entrances of building and grounds' }),
        date: date.optional(),
      })
      .optional()
      .meta({ description: 'Signs at the entrances (seed 001 §1.3)' }),
    audio: z.boolean().optional().meta({ description: 'true when the system records sound (not allowed: a compliance error)' }),
    policeDisclosure: z.boolean().optional().meta({ description: 'Footage may be given to the police after an incident (default true; said on the sign)' }),
    safetyPolicy: z.string().optional().meta({ description: 'The wider safety policy the cameras are part of (seed 000), e.g. "Veiligheidsplan 2026"' }),
    securityPlan: z.string().optional().meta({ description: 'The security plan for the images (seed 000)' }),
    securityMeasures: z
      .array(z.enum(SECURITY_MEASURES))
      .optional()
      .meta({ description: 'The security measures that are in place; the regulation and the DPIA state only these' }),
    recordingHours: z
      .string()
      .optional()
      .meta({ description: 'When the cameras record, e.g. "24 uur per dag, 7 dagen per week" or "18:00-07:00" (the regulation quotes it)' }),
    liveViewing: z
      .boolean()
      .optional()
      .meta({ description: 'true when images are watched live (on a monitor); false when only recordings are viewed after an incident' }),
    remoteAccess: z.boolean().optional().meta({ description: 'true when images can be viewed or exported from outside the school (app, web portal)' }),
    complaints: z
      .strictObject({ contact: z.string().optional(), regulation: z.string().optional().meta({ description: 'The klachtenregeling (name or URL)' }) })
      .optional(),
    information: z
      .strictObject({
        url: z.string().optional().meta({ description: 'Where the regulation is published (second layer)' }),
        place: z.string().optional().meta({ description: 'Where it can be read on paper, e.g. "bij de receptie"' }),
      })
      .optional(),
    practices: z
      .array(z.enum(PRACTICES))
      .optional()
      .meta({ description: 'Recording practices without a camera in the inventory: coaching, online-lesson, livestream, media' }),
    retentionJustification: z
      .strictObject(Object.fromEntries(CATEGORIES.map((c) => [c, z.string().min(1).optional()])) as Record<(typeof CATEGORIES)[number], z.ZodOptional<z.ZodString>>)
      .optional()
      .meta({ description: 'Per category: why its retention goes beyond the guideline' }),
  })
  .meta({ description: 'Who is responsible, and what the regulation, the DPIA and the signs say' });

export const configSchema = z
  .strictObject({
    school: z.strictObject({
      name: z.string().min(1).meta({ description: 'Name of the school' }),
      board: z.string().optional().meta({ description: 'School board (bevoegd gezag)' }),
      timezone: timeZone.default('Europe/Amsterdam').meta({ description: 'Time zone of the school (default Europe/Amsterdam)' }),
      address: z.string().optional().meta({ description: 'Postal address' }),
      email: z.string().optional(),
      phone: z.string().optional(),
      website: z.string().optional(),
      publicAuthority: z.boolean().optional().meta({ description: 'true for an openbare school: its legal basis is AVG art. 6(1)(e)' }),
    }),
    language: z
      .enum(['nl', 'en'])
      .optional()
      .meta({ description: "Language of the command line's messages and help: nl or en (--lang overrides it; default: LC_ALL, LC_MESSAGES or LANG)" }),
    privacy: privacySchema.optional(),
    documents: z
      .strictObject({
        reglement: documentSettings.optional(),
        protocol: documentSettings.optional(),
        sign: documentSettings.optional(),
        letter: documentSettings.optional(),
        dpia: documentSettings
          .extend({ answers: z.string().optional().meta({ description: 'The DPIA answers file (default dpia-answers.yaml next to the config)' }) })
          .optional(),
      })
      .optional()
      .meta({ description: 'Status, adoption and revision date of each document' }),
    register: z
      .string()
      .min(1)
      .default('.toezicht/register.db')
      .meta({
        description:
          'The register: holds, purge runs, the audit chain. A SQLite file relative to the config file, or a PostgreSQL URL (postgres://user@host/db, the password in TOEZICHT_REGISTER_PASSWORD) shared by a board',
      }),
    storage: z.array(storageSchema).default([]).meta({ description: 'Where footage is kept' }),
    cameras: z.array(cameraSchema).default([]).meta({ description: 'The camera inventory' }),
    schools: z
      .array(schoolSchema)
      .optional()
      .meta({ description: "A board's schools, each with its own cameras and storages (ids unique across the board); school: then describes the board" }),
    retention: z
      .strictObject(retentionShape)
      .default({})
      .meta({ description: 'Retention per recording category; defaults from the brief (surveillance P28D, online-lesson P10M, livestream P14D, media school-year)' }),
    discovery: z
      .strictObject({
        credentials: z
          .string()
          .optional()
          .meta({ description: 'Credentials file for ONVIF devices (YAML, mode 0600), relative to the config file; never put passwords in this config' }),
        interface: z.string().optional().meta({ description: 'Interface (name or address) for WS-Discovery probes; default every non-loopback IPv4 interface' }),
        sweep: z.array(z.string()).optional().meta({ description: 'IPv4 ranges to sweep by unicast as well (VLANs multicast does not cross), e.g. 10.20.0.0/24' }),
      })
      .optional()
      .meta({ description: 'Defaults for `cameras discover` and `cameras check`' }),
    exports: z
      .strictObject({
        root: z
          .string()
          .min(1)
          .optional()
          .meta({ description: 'Folder for evidence packages (default of footage export --out); footage purge removes expired packages under it. Relative to the config file' }),
      })
      .optional()
      .meta({ description: 'Evidence exports: copies of personal data with a lifetime' }),
    rights: z
      .strictObject({
        root: z
          .string()
          .min(1)
          .optional()
          .meta({ description: 'Folder for the letters of data-subject requests, one folder per request (default rights/ next to the config). They name people: keep it private' }),
      })
      .optional()
      .meta({ description: 'Data-subject requests (toezicht rights)' }),
    access: z
      .strictObject({
        export: z
          .array(z.string().regex(/^\S+$/, { message: 'expected an OS user name without spaces' }))
          .optional()
          .meta({ description: 'OS users whose function needs it (seed 001 §1.2: the beheerder and the school management) and who may export footage; anyone else is refused and the attempt is audited' }),
      })
      .optional()
      .meta({ description: 'Who may do what' }),
    keys: z
      .strictObject({
        dir: z
          .string()
          .min(1)
          .default('.toezicht/keys')
          .meta({ description: 'Folder with the school signing key for evidence packages (toezicht keys init); relative to the config file' }),
      })
      .optional()
      .meta({ description: 'Keys of the school' }),
    ffmpeg: z
      .strictObject({
        path: z.string().optional().meta({ description: 'ffmpeg binary to use (else FFMPEG_PATH, ffmpeg-static, @ffmpeg-installer/ffmpeg, PATH)' }),
        ffprobe: z.string().optional().meta({ description: 'ffprobe binary to use' }),
      })
      .optional(),
  })
  .meta({ title: 'toezicht configuration' });

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type StorageConfig = z.output<typeof storageSchema>;
export type CameraConfig = z.output<typeof cameraSchema>;
export type SchoolConfig = z.output<typeof schoolSchema>;
export type PrivacyMask = z.output<typeof privacyMaskSchema>;
export type PrivacySettings = z.output<typeof privacySchema>;
export type DocumentSettings = z.output<typeof documentSettings>;

/** The JSON Schema of the config file, for editors (`toezicht config schema`). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
