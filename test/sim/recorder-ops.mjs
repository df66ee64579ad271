// The recorder's Profile G operations beyond the search the simulator already had: the recording summary, the
// recordings and their configuration (MaximumRetentionTime, which the recorder then applies to its own footage),
// and the replay URI. Answers with the simulator's element helpers, so every vendor style shows here too.
// Device options: `replay: { port, stopAfterFrames?, mtu? }` (largest RTP payload, 1400 by default) (no replay service without it), `recordingControl: false`
// (no GetRecordingConfiguration/SetRecordingConfiguration), `refuseRetention: true` (SetRecordingConfiguration
// faults), `applyRetention: false` (the setting is stored but old footage stays).

export const REPLAY_NS = 'http://www.onvif.org/ver10/replay/wsdl';

/** ISO 8601 duration (PnDTnHnMnS, the subset devices use) → ms; undefined when unreadable. */
export function durationMs(text) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(String(text).trim());
  if (!m) return undefined;
  return (((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
}

/** Oldest footage the recorder still has: its retention applied to its own data. */
export function earliestOf(d, r, now = Date.now()) {
  const keep = r.retention ? durationMs(r.retention) : 0;
  const base = r.earliest ?? r.from;
  if (!keep || d.applyRetention === false) return base;
  return Math.max(base, now - keep);
}

/** Fills in what the recorder's own bookkeeping derives: the oldest footage after retention. */
export function refreshRecordings(d, now = Date.now()) {
  for (const r of d.recordings) {
    const oldest = earliestOf(d, r, now);
    if (oldest > (r.earliest ?? r.from)) r.earliest = oldest;
  }
}

const tokenIn = (raw) => /<(?:[\w.-]+:)?RecordingToken(?:\s[^>]*)?>([^<]*)</.exec(raw)?.[1]?.trim();

/**
 * One operation, or undefined when this recorder does not offer it (the simulator then faults ActionNotSupported).
 * `h`: { t, tt, esc, fault(subcode, reason) → never-sent marker, replayUrl(token) }.
 */
export function recorderOperation(d, op, raw, h) {
  if (d.kind !== 'recorder') return undefined;
  const { t, tt, esc } = h;
  refreshRecordings(d);
  const iso = (ms) => new Date(ms).toISOString();
  const find = () => {
    const token = tokenIn(raw);
    const r = d.recordings.find((x) => x.token === token);
    if (!r) return { missing: h.fault('ter:InvalidArgVal', `ter:NoRecording: there is no recording ${token ?? ''}`) };
    return { r };
  };
  const source = (r) => tt('Source', tt('SourceId', esc(r.sourceId)) + tt('Name', esc(r.sourceName)) + tt('Location', 'Gebouw A') + tt('Description', 'camera') + tt('Address', esc(r.sourceAddress ?? `rtsp://${r.sourceName}.local/`)));
  const configuration = (r) => source(r) + tt('Content', 'continuous') + tt('MaximumRetentionTime', esc(r.retention ?? 'PT0S'));
  switch (op) {
    case 'GetRecordingSummary': {
      const froms = d.recordings.map((r) => r.earliest ?? r.from);
      const untils = d.recordings.map((r) => r.until);
      return t('tse', 'GetRecordingSummaryResponse', t('tse', 'Summary', tt('DataFrom', iso(Math.min(...froms))) + tt('DataUntil', iso(Math.max(...untils))) + tt('NumberRecordings', d.recordings.length)));
    }
    case 'GetRecordingInformation': {
      const { r, missing } = find();
      if (missing) return missing;
      return t('tse', 'GetRecordingInformationResponse', t('tse', 'RecordingInformation', tt('RecordingToken', esc(r.token)) + source(r) +
        tt('EarliestRecording', iso(r.earliest ?? r.from)) + tt('LatestRecording', iso(r.until)) + tt('Content', 'continuous') + tt('RecordingStatus', 'Recording')));
    }
    case 'GetRecordings':
      if (d.recordingControl === false) return undefined;
      return t('trc', 'GetRecordingsResponse', d.recordings.map((r) => t('trc', 'RecordingItem', tt('RecordingToken', esc(r.token)) + tt('Configuration', configuration(r)) +
        tt('Tracks', tt('Track', tt('TrackToken', 'VIDEO001') + tt('Configuration', tt('TrackType', 'Video') + tt('Description', 'video')))))).join(''));
    case 'GetRecordingConfiguration': {
      if (d.recordingControl === false) return undefined;
      const { r, missing } = find();
      if (missing) return missing;
      return t('trc', 'GetRecordingConfigurationResponse', t('trc', 'RecordingConfiguration', configuration(r)));
    }
    case 'SetRecordingConfiguration': {
      if (d.recordingControl === false) return undefined;
      const { r, missing } = find();
      if (missing) return missing;
      if (d.refuseRetention) return h.fault('ter:Action', 'ter:ConfigurationConflict: the retention time is fixed by the disk quota');
      const value = /<(?:[\w.-]+:)?MaximumRetentionTime(?:\s[^>]*)?>([^<]*)</.exec(raw)?.[1]?.trim();
      if (!value || durationMs(value) === undefined) return h.fault('ter:InvalidArgVal', 'ter:BadConfiguration: MaximumRetentionTime is missing or unreadable');
      r.retention = value;
      d.retentionChanges = [...(d.retentionChanges ?? []), { token: r.token, value }];
      refreshRecordings(d);
      return t('trc', 'SetRecordingConfigurationResponse', '');
    }
    case 'DeleteRecording':
      // Counted, so a test can prove nobody asked.
      d.deleteRequests = (d.deleteRequests ?? 0) + 1;
      return undefined;
    case 'GetReplayUri': {
      if (!d.replay) return undefined;
      const { r, missing } = find();
      if (missing) return missing;
      return t('trp', 'GetReplayUriResponse', t('trp', 'Uri', esc(h.replayUrl(r.token))));
    }
    case 'GetReplayConfiguration':
      if (!d.replay) return undefined;
      return t('trp', 'GetReplayConfigurationResponse', t('trp', 'Configuration', tt('SessionTimeout', 'PT60S')));
    default:
      return undefined;
  }
}
