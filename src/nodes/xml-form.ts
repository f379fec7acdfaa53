/**
 * The seed's XML form of the schedule service (seed 002), read into the JSON form's shape and answered in XML.
 * Parsed safely: bounded size and nesting, no DOCTYPE (so no entity can be declared, expanded or fetched), no
 * entity processing at all, attributes ignored; every value is text. Pure.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ParameterProblems } from './errors';
import type { ScheduleServiceAnswer } from './model';

/** Largest XML request read, in bytes. */
export const MAX_XML_BYTES = 128 * 1024;
/** Deepest element nesting read (the root counts). */
export const MAX_XML_DEPTH = 40;
/** The request's root element. */
export const XML_ROOT = 'ScheduleService';
/** The answer's root element. */
export const XML_ANSWER_ROOT = 'ScheduleServiceResponse';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  maxNestedTags: MAX_XML_DEPTH,
});

/** The request as the JSON form's object, or the problem (a 103) with it. */
export type XmlRequest = { readonly input: Record<string, unknown> } | { readonly problem: string };

const NUMBER = /^\d+(\.\d+)?$/;

/**
 * Reads an XML `<ScheduleService>` request. Empty elements stand for absent parameters (the seed's template
 * leaves them empty), except `password`, which is kept so the schema refuses it: this API authenticates with the
 * bearer token only. `delay` is read as a number when it is one.
 */
export function parseScheduleServiceXml(text: string): XmlRequest {
  if (Buffer.byteLength(text, 'utf8') > MAX_XML_BYTES)
    return { problem: ParameterProblems.xmlTooLarge(MAX_XML_BYTES) };
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { problem: ParameterProblems.xmlDoctype };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { problem: ParameterProblems.xmlMalformed(valid.err.msg) };
  let document: unknown;
  try {
    document = parser.parse(text);
  } catch (err) {
    return { problem: ParameterProblems.xmlMalformed(err instanceof Error ? err.message : String(err)) };
  }
  const roots = Object.keys(document as Record<string, unknown>);
  const root = (document as Record<string, unknown>)[XML_ROOT];
  if (roots.length !== 1 || root === undefined || Array.isArray(root))
    return { problem: ParameterProblems.xmlRoot };
  if (root === '') return { input: {} };
  if (typeof root !== 'object' || root === null) return { problem: ParameterProblems.xmlRoot };
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    if (value === '' && name !== 'password') continue;
    input[name] = name === 'delay' && typeof value === 'string' && NUMBER.test(value) ? Number(value) : value;
  }
  return { input };
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The answer in XML: `errorNumber`, and `scheduleTimestamp` / `errorMessage` when present. */
export function renderScheduleServiceAnswer(answer: ScheduleServiceAnswer): string {
  const parts = [`<errorNumber>${answer.errorNumber}</errorNumber>`];
  if (answer.scheduleTimestamp !== undefined) {
    parts.push(`<scheduleTimestamp>${escapeXml(answer.scheduleTimestamp)}</scheduleTimestamp>`);
  }
  if (answer.errorMessage !== undefined)
    parts.push(`<errorMessage>${escapeXml(answer.errorMessage)}</errorMessage>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${XML_ANSWER_ROOT}>${parts.join('')}</${XML_ANSWER_ROOT}>\n`;
}
