/**
 * Time-zone names and fast zone arithmetic for the engine.
 *
 * Offsets come from the runtime's ICU data (RECURRENCE.md, semantics 11) through `Intl.DateTimeFormat`, but
 * `formatToParts` costs microseconds, so each zone gets a lazily built table per ~one-year bucket of the exact
 * transition instants (found by sampling every day and bisecting to the second); lookups are then a map hit
 * and a short search. Two transitions less than a day apart that cancel out would be missed by the daily
 * sampling; no zone in the tz database has had one. Building a bucket costs a few hundred Intl calls, so a
 * bucket is built only once it has been asked about {@link BUILD_BUCKET_AFTER} times: a rule whose occurrences
 * lie years apart asks Intl directly, one call per lookup, instead of building a table per year it touches.
 */
import { BoundedCache } from './bounded-cache';
import { DAY_MS, daysFromCivil } from './civil';

/**
 * Longest time-zone name accepted. The longest IANA name (`America/Argentina/ComodRivadavia`) has 32
 * characters and the longest Rails name 28; a longer name is refused before Intl or any cache sees it.
 */
export const MAX_TIME_ZONE_NAME_LENGTH = 64;
/**
 * Most zone names remembered as valid. Names are tenant input and every letter-case variant of an alias
 * (`us/eastern`, `uS/Eastern`, ...) is valid, so the cache is bounded, least recently used first out; the
 * tz database has about 600 names, so real traffic never evicts.
 */
export const MAX_CACHED_ZONE_NAMES = 512;
/** Most zones with an offset table at a time (least recently used first out). */
export const MAX_CACHED_ZONE_TABLES = 256;
/** Most ~one-year buckets kept per zone table; a full table starts over rather than grow. */
export const MAX_BUCKETS_PER_ZONE = 256;
/** Lookups in one bucket answered straight from Intl before the bucket is built (a build is ~400 lookups). */
export const BUILD_BUCKET_AFTER = 256;

/**
 * ActiveSupport::TimeZone::MAPPING (Rails): friendly names accepted as an extension and mapped to IANA.
 * Kept verbatim so the same names behave exactly as in Rails.
 */
export const RAILS_TIME_ZONES: Readonly<Record<string, string>> = {
  'International Date Line West': 'Etc/GMT+12',
  'Midway Island': 'Pacific/Midway',
  'American Samoa': 'Pacific/Pago_Pago',
  Hawaii: 'Pacific/Honolulu',
  Alaska: 'America/Juneau',
  'Pacific Time (US & Canada)': 'America/Los_Angeles',
  Tijuana: 'America/Tijuana',
  'Mountain Time (US & Canada)': 'America/Denver',
  Arizona: 'America/Phoenix',
  Chihuahua: 'America/Chihuahua',
  Mazatlan: 'America/Mazatlan',
  'Central Time (US & Canada)': 'America/Chicago',
  Saskatchewan: 'America/Regina',
  Guadalajara: 'America/Mexico_City',
  'Mexico City': 'America/Mexico_City',
  Monterrey: 'America/Monterrey',
  'Central America': 'America/Guatemala',
  'Eastern Time (US & Canada)': 'America/New_York',
  'Indiana (East)': 'America/Indiana/Indianapolis',
  Bogota: 'America/Bogota',
  Lima: 'America/Lima',
  Quito: 'America/Lima',
  'Atlantic Time (Canada)': 'America/Halifax',
  Caracas: 'America/Caracas',
  'La Paz': 'America/La_Paz',
  Santiago: 'America/Santiago',
  Newfoundland: 'America/St_Johns',
  Brasilia: 'America/Sao_Paulo',
  'Buenos Aires': 'America/Argentina/Buenos_Aires',
  Montevideo: 'America/Montevideo',
  Georgetown: 'America/Guyana',
  'Puerto Rico': 'America/Puerto_Rico',
  Greenland: 'America/Godthab',
  'Mid-Atlantic': 'Atlantic/South_Georgia',
  Azores: 'Atlantic/Azores',
  'Cape Verde Is.': 'Atlantic/Cape_Verde',
  Dublin: 'Europe/Dublin',
  Edinburgh: 'Europe/London',
  Lisbon: 'Europe/Lisbon',
  London: 'Europe/London',
  Casablanca: 'Africa/Casablanca',
  Monrovia: 'Africa/Monrovia',
  UTC: 'Etc/UTC',
  Belgrade: 'Europe/Belgrade',
  Bratislava: 'Europe/Bratislava',
  Budapest: 'Europe/Budapest',
  Ljubljana: 'Europe/Ljubljana',
  Prague: 'Europe/Prague',
  Sarajevo: 'Europe/Sarajevo',
  Skopje: 'Europe/Skopje',
  Warsaw: 'Europe/Warsaw',
  Zagreb: 'Europe/Zagreb',
  Brussels: 'Europe/Brussels',
  Copenhagen: 'Europe/Copenhagen',
  Madrid: 'Europe/Madrid',
  Paris: 'Europe/Paris',
  Amsterdam: 'Europe/Amsterdam',
  Berlin: 'Europe/Berlin',
  Bern: 'Europe/Zurich',
  Zurich: 'Europe/Zurich',
  Rome: 'Europe/Rome',
  Stockholm: 'Europe/Stockholm',
  Vienna: 'Europe/Vienna',
  'West Central Africa': 'Africa/Algiers',
  Bucharest: 'Europe/Bucharest',
  Cairo: 'Africa/Cairo',
  Helsinki: 'Europe/Helsinki',
  Kyiv: 'Europe/Kiev',
  Riga: 'Europe/Riga',
  Sofia: 'Europe/Sofia',
  Tallinn: 'Europe/Tallinn',
  Vilnius: 'Europe/Vilnius',
  Athens: 'Europe/Athens',
  Istanbul: 'Europe/Istanbul',
  Minsk: 'Europe/Minsk',
  Jerusalem: 'Asia/Jerusalem',
  Harare: 'Africa/Harare',
  Pretoria: 'Africa/Johannesburg',
  Kaliningrad: 'Europe/Kaliningrad',
  Moscow: 'Europe/Moscow',
  'St. Petersburg': 'Europe/Moscow',
  Volgograd: 'Europe/Volgograd',
  Samara: 'Europe/Samara',
  Kuwait: 'Asia/Kuwait',
  Riyadh: 'Asia/Riyadh',
  Nairobi: 'Africa/Nairobi',
  Baghdad: 'Asia/Baghdad',
  Tehran: 'Asia/Tehran',
  'Abu Dhabi': 'Asia/Muscat',
  Muscat: 'Asia/Muscat',
  Baku: 'Asia/Baku',
  Tbilisi: 'Asia/Tbilisi',
  Yerevan: 'Asia/Yerevan',
  Kabul: 'Asia/Kabul',
  Ekaterinburg: 'Asia/Yekaterinburg',
  Islamabad: 'Asia/Karachi',
  Karachi: 'Asia/Karachi',
  Tashkent: 'Asia/Tashkent',
  Chennai: 'Asia/Kolkata',
  Kolkata: 'Asia/Kolkata',
  Mumbai: 'Asia/Kolkata',
  'New Delhi': 'Asia/Kolkata',
  Kathmandu: 'Asia/Kathmandu',
  Astana: 'Asia/Dhaka',
  Dhaka: 'Asia/Dhaka',
  'Sri Jayawardenepura': 'Asia/Colombo',
  Almaty: 'Asia/Almaty',
  Novosibirsk: 'Asia/Novosibirsk',
  Rangoon: 'Asia/Rangoon',
  Bangkok: 'Asia/Bangkok',
  Hanoi: 'Asia/Bangkok',
  Jakarta: 'Asia/Jakarta',
  Krasnoyarsk: 'Asia/Krasnoyarsk',
  Beijing: 'Asia/Shanghai',
  Chongqing: 'Asia/Chongqing',
  'Hong Kong': 'Asia/Hong_Kong',
  Urumqi: 'Asia/Urumqi',
  'Kuala Lumpur': 'Asia/Kuala_Lumpur',
  Singapore: 'Asia/Singapore',
  Taipei: 'Asia/Taipei',
  Perth: 'Australia/Perth',
  Irkutsk: 'Asia/Irkutsk',
  Ulaanbaatar: 'Asia/Ulaanbaatar',
  Seoul: 'Asia/Seoul',
  Osaka: 'Asia/Tokyo',
  Sapporo: 'Asia/Tokyo',
  Tokyo: 'Asia/Tokyo',
  Yakutsk: 'Asia/Yakutsk',
  Darwin: 'Australia/Darwin',
  Adelaide: 'Australia/Adelaide',
  Canberra: 'Australia/Melbourne',
  Melbourne: 'Australia/Melbourne',
  Sydney: 'Australia/Sydney',
  Brisbane: 'Australia/Brisbane',
  Hobart: 'Australia/Hobart',
  Vladivostok: 'Asia/Vladivostok',
  Guam: 'Pacific/Guam',
  'Port Moresby': 'Pacific/Port_Moresby',
  Magadan: 'Asia/Magadan',
  Srednekolymsk: 'Asia/Srednekolymsk',
  'Solomon Is.': 'Pacific/Guadalcanal',
  'New Caledonia': 'Pacific/Noumea',
  Fiji: 'Pacific/Fiji',
  Kamchatka: 'Asia/Kamchatka',
  'Marshall Is.': 'Pacific/Majuro',
  Auckland: 'Pacific/Auckland',
  Wellington: 'Pacific/Auckland',
  "Nuku'alofa": 'Pacific/Tongatapu',
  'Tokelau Is.': 'Pacific/Fakaofo',
  'Chatham Is.': 'Pacific/Chatham',
  Samoa: 'Pacific/Apia',
};

/**
 * Zone names Intl accepted, with the name Intl resolved them to, so validation does not construct a formatter
 * twice. Only valid names are kept: an unknown name costs one formatter construction each time, and never memory.
 */
const validNames = new BoundedCache<string, string>(MAX_CACHED_ZONE_NAMES);

function intlCanonical(name: string): string | undefined {
  const known = validNames.get(name);
  if (known !== undefined) return known;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch (error) {
    // Intl signals an unknown zone with a RangeError; anything else is a real fault and must surface.
    if (!(error instanceof RangeError)) throw error;
    return undefined;
  }
  validNames.set(name, resolved);
  return resolved;
}

/**
 * Resolves a user-supplied zone name to the IANA name to store: an IANA name Intl knows is echoed as given
 * (only its letter case is corrected, so `europe/london` becomes `Europe/London`, while an alias such as
 * `Asia/Calcutta` stays itself), a Rails name (`London`, `Eastern Time (US & Canada)`) is mapped through
 * {@link RAILS_TIME_ZONES}.
 * @returns the IANA name, or `undefined` for an unknown name (never a silent fallback to UTC).
 */
export function resolveTimeZone(name: string): string | undefined {
  if (name.length > MAX_TIME_ZONE_NAME_LENGTH) return undefined;
  if (name.trim() === '' || name !== name.trim()) return undefined;
  const canonical = intlCanonical(name);
  if (canonical !== undefined) return canonical.toLowerCase() === name.toLowerCase() ? canonical : name;
  // Own keys only: `constructor` or `__proto__` must not reach Object.prototype.
  const rails = Object.hasOwn(RAILS_TIME_ZONES, name) ? RAILS_TIME_ZONES[name] : undefined;
  return rails !== undefined && intlCanonical(rails) !== undefined ? rails : undefined;
}

/** How many entries the zone caches hold; each stays at most its `MAX_CACHED_ZONE_*` bound. */
export function zoneCacheSizes(): { names: number; tables: number } {
  return { names: validNames.size, tables: tables.size };
}

/** One bucket of a zone's offset history: the offset at its start and every transition inside it. */
interface Bucket {
  readonly startOffset: number;
  /** Transition instants (ms, ascending), each the first second of the new offset. */
  readonly at: readonly number[];
  /** Offset (ms) in force from the matching `at` instant. */
  readonly offsets: readonly number[];
}

interface ZoneTable {
  readonly format: Intl.DateTimeFormat;
  readonly buckets: Map<number, Bucket>;
  /** Lookups so far in each bucket not yet built. */
  readonly lookups: Map<number, number>;
}

/** Bucket length: a fixed span (not a calendar year) keeps the bucket index a single division. */
const BUCKET_MS = 366 * DAY_MS;
const tables = new BoundedCache<string, ZoneTable>(MAX_CACHED_ZONE_TABLES);
/** The table used last: the engine asks about one zone many times in a row, so this skips the cache. */
let lastTable: { zone: string; table: ZoneTable } | undefined;

function tableFor(zone: string): ZoneTable {
  if (lastTable?.zone === zone) return lastTable.table;
  let table = tables.get(zone);
  if (table === undefined) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    table = { format, buckets: new Map(), lookups: new Map() };
    tables.set(zone, table);
  }
  lastTable = { zone, table };
  return table;
}

/**
 * What the zone formatter writes (`3/9/2025 AD, 01:00:00`), read field by field. Reading the string is about
 * three times faster than `formatToParts`; any other shape (another ICU's punctuation) falls back to the parts.
 */
const FORMATTED = /^(\d+)\D+(\d+)\D+(\d+)\D+(AD|BC)\D+(\d+)\D+(\d+)\D+(\d+)$/;

/** The offset Intl reports at an instant, in ms (whole seconds: tz offsets never have fractions). */
function intlOffset(format: Intl.DateTimeFormat, instantMs: number): number {
  const second = Math.floor(instantMs / 1000) * 1000;
  const match = FORMATTED.exec(format.format(second));
  if (match === null) return partsOffset(format, second);
  const [, month, day, year, era, hour, minute, sec] = match as unknown as [string, ...string[]];
  // Intl writes years before 1 CE as "N BC"; the proleptic calendar numbers them 1 - N.
  const y = era === 'BC' ? 1 - Number(year) : Number(year);
  const wall =
    daysFromCivil(y, Number(month), Number(day)) * DAY_MS +
    Number(hour) * 3_600_000 +
    Number(minute) * 60_000 +
    Number(sec) * 1000;
  return wall - second;
}

/** {@link intlOffset} through `formatToParts`, at a whole second. */
function partsOffset(format: Intl.DateTimeFormat, second: number): number {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let sec = 0;
  let beforeCommonEra = false;
  for (const part of format.formatToParts(second)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        sec = Number(part.value);
        break;
      case 'era':
        beforeCommonEra = part.value === 'BC';
        break;
      default:
        break;
    }
  }
  // Intl writes years before 1 CE as "N BC"; the proleptic calendar numbers them 1 - N.
  if (beforeCommonEra) year = 1 - year;
  const wall = daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + sec * 1000;
  return wall - second;
}

function buildBucket(format: Intl.DateTimeFormat, index: number): Bucket {
  const start = index * BUCKET_MS;
  const end = start + BUCKET_MS;
  const startOffset = intlOffset(format, start);
  const at: number[] = [];
  const offsets: number[] = [];
  let prevT = start;
  let prevO = startOffset;
  for (let t = start + DAY_MS; t <= end; t += DAY_MS) {
    const o = intlOffset(format, t);
    // Bisect to the first second whose offset differs; repeat in case one day holds two transitions.
    while (o !== prevO) {
      let lo = prevT;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (intlOffset(format, mid) === prevO) lo = mid;
        else hi = mid;
      }
      const newOffset = intlOffset(format, hi);
      if (hi < end) {
        at.push(hi);
        offsets.push(newOffset);
      }
      prevT = hi;
      prevO = newOffset;
    }
    prevT = t;
  }
  return { startOffset, at, offsets };
}

/**
 * UTC offset of `zone` at an instant, in milliseconds (positive east of Greenwich), equal to what Intl reports.
 * @throws {RangeError} if `zone` is not a zone Intl knows (resolve names with {@link resolveTimeZone} first).
 */
export function offsetAt(zone: string, instantMs: number): number {
  const table = tableFor(zone);
  const index = Math.floor(instantMs / BUCKET_MS);
  let bucket = table.buckets.get(index);
  if (bucket === undefined) {
    const lookups = (table.lookups.get(index) ?? 0) + 1;
    if (lookups < BUILD_BUCKET_AFTER) {
      // Caps, not LRUs: one computation touches a handful of buckets, so starting over costs little.
      if (table.lookups.size >= MAX_BUCKETS_PER_ZONE) table.lookups.clear();
      table.lookups.set(index, lookups);
      return intlOffset(table.format, instantMs);
    }
    table.lookups.delete(index);
    bucket = buildBucket(table.format, index);
    if (table.buckets.size >= MAX_BUCKETS_PER_ZONE) table.buckets.clear();
    table.buckets.set(index, bucket);
  }
  const { at, offsets } = bucket;
  let offset = bucket.startOffset;
  // Buckets hold a handful of transitions at most, so a linear scan beats a binary search.
  for (let i = 0; i < at.length; i++) {
    if ((at[i] as number) > instantMs) break;
    offset = offsets[i] as number;
  }
  return offset;
}

/**
 * The instant of a local wall-clock time in `zone` (RECURRENCE.md rules 4 and 5).
 * `localWallMs` is the wall time encoded as if it were UTC (`Date.UTC(y, m - 1, d, h, min, s)`).
 * A time in a spring-forward gap takes the offset in force before the gap (New York 02:30 on the
 * spring-forward day is 07:30Z); a time that occurs twice takes the first (earlier) instant.
 * @throws {RangeError} if `zone` is not a zone Intl knows.
 */
export function localToInstant(zone: string, localWallMs: number): number {
  // Any offset is within ±1 day, so the offsets a day either side bracket every candidate instant.
  const before = offsetAt(zone, localWallMs - DAY_MS);
  const after = offsetAt(zone, localWallMs + DAY_MS);
  const first = localWallMs - before;
  const firstValid = offsetAt(zone, first) === before;
  if (before === after) return first;
  const second = localWallMs - after;
  const secondValid = offsetAt(zone, second) === after;
  if (firstValid && secondValid) return Math.min(first, second);
  if (firstValid) return first;
  if (secondValid) return second;
  // Neither offset produces this wall time: it lies in a gap, so use the offset in force before it.
  return first;
}

/** Local wall-clock time (encoded as if UTC) of an instant in `zone`. */
export function instantToLocal(zone: string, instantMs: number): number {
  return instantMs + offsetAt(zone, instantMs);
}
