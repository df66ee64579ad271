// The configuration contract (toezicht.config.yaml). Other tools and tests rely on it: extend it, never break it.
import * as z from 'zod';
import { CATEGORIES, isRetentionSetting } from '../policy/retention.js';
import { isValidTimeZone } from '../time/index.js';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
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

export const LAYOUTS = ['frigate', 'synology', 'pattern'] as const;

const fsStorage = z
  .strictObject({
    id: id.meta({ description: 'Name the cameras use to point at this storage' }),
    type: z.literal('fs').meta({ description: 'A folder on this machine or a mounted share' }),
    root: z.string().min(1).meta({ description: 'Top folder of the footage; relative paths are relative to the config file' }),
    layout: z.enum(LAYOUTS).meta({ description: 'How segment files are named: frigate, synology or pattern' }),
    pattern: z
      .string()
      .optional()
      .meta({ description: 'For layout pattern: path with {camera} {YYYY} {MM} {DD} {HH} {mm} {ss}, e.g. {camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4' }),
    segmentSeconds: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'Longest length of one segment file in seconds (default: 10 for frigate, 60 otherwise); overestimate rather than under' }),
    timezone: timeZone.optional().meta({ description: 'Time zone of the times in the paths (pattern, synology); default: school.timezone' }),
  })
  .meta({ description: 'Footage in a file tree' });

export const storageSchema = z.discriminatedUnion('type', [fsStorage]);

const authorisation = z
  .strictObject({
    decision: z.string().min(1).meta({ description: 'The board decision that authorises the hidden camera (reference)' }),
    decidedOn: date.optional(),
    suspicion: z.string().optional().meta({ description: 'The serious, concrete suspicion (seed 001 §5 lid 1)' }),
    from: date.meta({ description: 'Start of the authorised period' }),
    until: date.meta({ description: 'End of the authorised period; footage is deleted after it unless held' }),
  })
  .meta({ description: 'Covert cameras only: the authorisation (seed 001 §5)' });

export const cameraSchema = z.strictObject({
  id: id.meta({ description: 'Short id used on the command line' }),
  name: z.string().optional().meta({ description: 'Human name, e.g. Hoofdingang' }),
  location: z.string().optional().meta({ description: 'Where it hangs and what it sees, e.g. "Hoofdingang, binnen"' }),
  purpose: z.string().optional().meta({ description: 'Why this camera is needed (doelbinding)' }),
  category: z.enum(CATEGORIES).meta({ description: 'Recording category; decides the retention period' }),
  storage: id.optional().meta({ description: 'Id of the storage that holds its footage' }),
  path: z.string().min(1).optional().meta({ description: "The camera's name inside the storage layout (default: its id)" }),
  retention: retentionSetting.optional().meta({ description: 'Overrides the retention of its category for this camera' }),
  since: date.optional().meta({ description: 'Date the camera started recording (avoids false "footage too young" warnings)' }),
  authorisation: authorisation.optional(),
});

const retentionShape = Object.fromEntries(CATEGORIES.map((c) => [c, retentionSetting.optional()])) as Record<
  (typeof CATEGORIES)[number],
  z.ZodOptional<typeof retentionSetting>
>;

export const configSchema = z
  .strictObject({
    school: z.strictObject({
      name: z.string().min(1).meta({ description: 'Name of the school' }),
      board: z.string().optional().meta({ description: 'School board (bevoegd gezag)' }),
      timezone: timeZone.default('Europe/Amsterdam').meta({ description: 'Time zone of the school (default Europe/Amsterdam)' }),
    }),
    register: z
      .string()
      .min(1)
      .default('.toezicht/register.db')
      .meta({ description: 'The register (SQLite file): holds, purge runs, the audit chain. Relative to the config file' }),
    storage: z.array(storageSchema).default([]).meta({ description: 'Where footage is kept' }),
    cameras: z.array(cameraSchema).default([]).meta({ description: 'The camera inventory' }),
    retention: z
      .strictObject(retentionShape)
      .default({})
      .meta({ description: 'Retention per recording category; defaults from the brief (surveillance P28D, online-lesson P10M, livestream P14D, media school-year)' }),
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

/** The JSON Schema of the config file, for editors (`toezicht config schema`). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
