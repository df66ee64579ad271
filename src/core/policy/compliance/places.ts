// Reading a camera's location and purpose as schools write them: Dutch compounds ("personeelstoiletten",
// "omkleedruimte"), synonyms, and the difference between a camera *in* a room and one *near* it ("gang voor de
// toiletten, gericht op de gang").

/** Stems of rooms where no camera may ever look; matched anywhere inside a word, so compounds count. */
export const FORBIDDEN_ROOM_STEMS = [
  'toilet',
  'sanitair',
  'urinoir',
  'douche',
  'kleedkamer',
  'kleedruimte',
  'kleedhok',
  'omkleed',
  'verschoon',
  'wasruimte',
  'washroom',
  'restroom',
  'lavator',
  'bathroom',
  'changing',
  'shower',
] as const;
/** "wc" only as a word or a compound's part before or after a hyphen or at a word's end ("invalidenwc", "wc-ruimte"). */
const WC = /(^|[^\p{L}])wc|wc($|[^\p{L}])|\p{L}wc\b/u;

/** Rooms where hidden cameras may never go besides those (OVO-protocol §5 lid 3). */
export const COVERT_FORBIDDEN_STEMS = ['directie', 'schoolleiding', 'vertrouwenspersoon', 'management', 'head teacher', 'counsellor', 'confidential'] as const;

/** Words that put the camera outside the room: in the corridor before it, at its door, aimed elsewhere. */
const NEAR = /(\b(voor|bij|naast|tegenover|nabij|buiten|langs|richting|near|outside|next to|opposite|in front of|towards|facing)|\b(deur|ingang|entree|gang|hal|door|entrance)\s+(van|naar|to|of))\s+(de|het|the)?\s*$/u;
/** A compound that names the space before the room, not the room: "toiletgang", "kleedkamerdeur", "toiletingang". */
const NEAR_COMPOUND = /^(gang|deur|ingang|entree|hal|portaal|corridor|door|entrance)/u;
/** The view said to point away from the room. */
const AIMED_AWAY = /gericht op (de |het )?(gang|hal|deur|ingang|trap)|aimed at the (corridor|door|hall)|facing the (corridor|door|hall)/u;

export type PlaceVerdict = { kind: 'in' | 'near'; word: string } | undefined;

function findStem(text: string, stems: readonly string[]): { word: string; index: number; end: number } | undefined {
  for (const stem of stems) {
    const index = text.indexOf(stem);
    if (index >= 0) return { word: stem, index, end: index + stem.length };
  }
  const wc = WC.exec(text);
  if (wc) {
    const index = text.indexOf('wc', wc.index);
    return { word: 'wc', index, end: index + 2 };
  }
  return undefined;
}

/** Whether a location names a forbidden room, and whether the camera is in it or only near it. */
export function forbiddenRoom(location: string | undefined, options: { covert?: boolean } = {}): PlaceVerdict {
  const text = (location ?? '').toLowerCase();
  if (!text.trim()) return undefined;
  const stems = options.covert ? [...FORBIDDEN_ROOM_STEMS, ...COVERT_FORBIDDEN_STEMS] : FORBIDDEN_ROOM_STEMS;
  const hit = findStem(text, stems);
  if (!hit) return undefined;
  const before = text.slice(0, hit.index);
  // The rest of the word the stem sits in ("toilet|gang"), after plural endings.
  const rest = /^\p{L}*/u.exec(text.slice(hit.end))![0].replace(/^(en|s|ten|ruimtes?|groep)/u, '');
  // The word the stem sits in starts at the last non-letter before it; what precedes that decides "near".
  const wordStart = before.search(/\p{L}*$/u);
  const prefix = before.slice(0, wordStart);
  const near = NEAR.test(prefix) || NEAR_COMPOUND.test(rest) || /(gang|hal|corridor)\s+(voor|bij|naast|outside|near)\b/u.test(prefix);
  if (near || AIMED_AWAY.test(text)) return { kind: 'near', word: hit.word };
  return { kind: 'in', word: hit.word };
}

/** A classroom: where a camera would watch lessons. */
export function isClassroom(location: string | undefined): boolean {
  const text = (location ?? '').toLowerCase();
  if (/\b(gang|hal|corridor)\b.*\b(voor|bij|naast|outside)\b/u.test(text)) return false;
  return /(klaslokaal|leslokaal|speellokaal|lokaal\s*\d|\blokaal\b|\bklas\b|\bklassen\b|praktijklokaal|computerlokaal|classroom)/u.test(text);
}

/** A view of the public road, the pavement or the neighbours. */
export function viewsPublicRoad(location: string | undefined): boolean {
  const text = (location ?? '').toLowerCase();
  return /(openbare weg|\bstraat\b|straatkant|\bstoep\b|trottoir|fietspad|\bburen\b|buurhuis|buurtuin|tuin van de buren|woningen|public road|\bstreet\b|pavement|sidewalk|neighbou?r)/u.test(text);
}

/** Lawful "beoordeling": of incidents, images, a situation. What follows "beoordeling van" decides. */
const LAWFUL_ASSESSMENT = /(beoordel\w*|assess\w*)\s+(van\s+|of\s+)?(de\s+|het\s+|een\s+|the\s+|an?\s+)?(incident|beeld|opname|situatie|melding|schade|footage|images?|recording|situation|damage|report)/u;
const ASSESSMENT = /(beoordel|functioneren|prestatie|\bcijfer|toetsing|assess|performance|appraisal|grading)/u;

/** A purpose that uses cameras to assess pupils or staff ("beoordeling van incidenten" is not one). */
export function assessesPersons(purpose: string | undefined): boolean {
  const text = (purpose ?? '').toLowerCase();
  if (!ASSESSMENT.test(text)) return false;
  return ASSESSMENT.test(text.replace(new RegExp(LAWFUL_ASSESSMENT.source, 'gu'), ''));
}

/** A purpose that monitors staff: attendance, working hours, functioning. */
export function monitorsStaff(purpose: string | undefined): boolean {
  const text = (purpose ?? '').toLowerCase();
  return /(aanwezigheid|presentie|werktijden|in- en uitklokken|klokken|te laat komen|controle (op|van) (het )?(personeel|medewerkers|docenten|leraren)|functioneren van (het )?(personeel|medewerkers|docenten|leraren)|attendance|working hours|monitor(ing)? (the )?staff|staff (monitoring|performance))/u.test(text);
}
