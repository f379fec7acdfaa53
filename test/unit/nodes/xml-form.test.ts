import {
  MAX_XML_BYTES,
  parseScheduleServiceXml,
  renderScheduleServiceAnswer,
} from '../../../src/nodes/xml-form';

describe("the seed's XML form", () => {
  test('reads the seed template: empty elements are absent, delay is a number, the service is an object of text', () => {
    const text =
      '<?xml version="1.0"?><ScheduleService><action>schedule</action><nodeIdentifierSchedule>n1</nodeIdentifierSchedule>' +
      '<nodeVersionReferenceSchedule/><scheduleTimestamp></scheduleTimestamp><delay>30</delay>' +
      '<service><runbook_uuid>u</runbook_uuid><request_body><tenant_id>42</tenant_id></request_body></service></ScheduleService>';
    expect(parseScheduleServiceXml(text)).toEqual({
      input: {
        action: 'schedule',
        nodeIdentifierSchedule: 'n1',
        delay: 30,
        service: { runbook_uuid: 'u', request_body: { tenant_id: '42' } },
      },
    });
  });

  test('keeps a password element, even empty, so the schema refuses it', () => {
    expect(parseScheduleServiceXml('<ScheduleService><password/></ScheduleService>')).toEqual({
      input: { password: '' },
    });
  });

  test.each([
    [
      '<!DOCTYPE x [<!ENTITY e "boom">]><ScheduleService><action>&e;</action></ScheduleService>',
      'the request must not contain a DOCTYPE or entity declarations',
    ],
    ['<ScheduleService><action>', undefined],
    ['<Other/>', 'the request must be one ScheduleService element'],
    ['<ScheduleService/><ScheduleService/>', undefined],
    [`<ScheduleService>${'<a>'.repeat(50)}${'</a>'.repeat(50)}</ScheduleService>`, undefined],
    [
      `<ScheduleService><delay>${'1'.repeat(MAX_XML_BYTES)}</delay></ScheduleService>`,
      `the request must be at most ${MAX_XML_BYTES} bytes`,
    ],
  ])('refuses %s', (text, problem) => {
    const read = parseScheduleServiceXml(text);
    expect('problem' in read).toBe(true);
    if (problem !== undefined) expect(read).toEqual({ problem });
  });

  test('answers with the number, the timestamp and an escaped message', () => {
    expect(
      renderScheduleServiceAnswer({ errorNumber: 0, scheduleTimestamp: '2026-12-03T08:30:15.250' }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ScheduleServiceResponse><errorNumber>0</errorNumber><scheduleTimestamp>2026-12-03T08:30:15.250</scheduleTimestamp></ScheduleServiceResponse>\n',
    );
    expect(renderScheduleServiceAnswer({ errorNumber: 103, errorMessage: 'a <b> & "c"' })).toContain(
      '<errorMessage>a &#60;b&#62; &#38; &#34;c&#34;</errorMessage>',
    );
  });
});
