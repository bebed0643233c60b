/**
 * Dates from n8n's date fields: a wall time without an offset is read in the workflow's time zone
 * (what n8n's own nodes do), across daylight-saving changes; a date alone is a whole day.
 */
import { dateValue } from '../../../../nodes/ZendeskChat/helpers/restInput';

const iso = (value: unknown) => (value as Date).toISOString();

describe('dateValue', () => {
	it('reads a wall time in the given zone, in winter and in summer', () => {
		expect(iso(dateValue('2024-01-15T09:00:00', 'Europe/Berlin'))).toBe('2024-01-15T08:00:00.000Z');
		expect(iso(dateValue('2024-07-15T09:00:00', 'Europe/Berlin'))).toBe('2024-07-15T07:00:00.000Z');
		expect(iso(dateValue('2024-07-15 09:00', 'America/New_York'))).toBe('2024-07-15T13:00:00.000Z');
		expect(iso(dateValue('2024-03-10T12:30:15.250', 'Asia/Kolkata'))).toBe(
			'2024-03-10T07:00:15.250Z',
		);
	});

	it('is right on both sides of a daylight-saving change', () => {
		// Berlin moved from +01:00 to +02:00 at 02:00 on 31 March 2024.
		expect(iso(dateValue('2024-03-31T01:30:00', 'Europe/Berlin'))).toBe('2024-03-31T00:30:00.000Z');
		expect(iso(dateValue('2024-03-31T03:30:00', 'Europe/Berlin'))).toBe('2024-03-31T01:30:00.000Z');
		// And back at 03:00 on 27 October.
		expect(iso(dateValue('2024-10-27T04:00:00', 'Europe/Berlin'))).toBe('2024-10-27T03:00:00.000Z');
	});

	it('makes a date alone the start of that day, or its last second as an end', () => {
		expect(iso(dateValue('2024-05-12', 'Europe/Berlin'))).toBe('2024-05-11T22:00:00.000Z');
		expect(iso(dateValue('2024-05-12', 'Europe/Berlin', { endOfDay: true }))).toBe(
			'2024-05-12T21:59:59.000Z',
		);
		expect(iso(dateValue('2024-05-12', 'UTC', { endOfDay: true }))).toBe(
			'2024-05-12T23:59:59.000Z',
		);
	});

	it('leaves texts with an offset, and unreadable values, to the core', () => {
		expect(dateValue('2024-05-12T10:00:00+05:00', 'Europe/Berlin')).toBe(
			'2024-05-12T10:00:00+05:00',
		);
		expect(dateValue('2024-05-12T10:00:00Z', 'Europe/Berlin')).toBe('2024-05-12T10:00:00Z');
		expect(dateValue('tomorrow', 'Europe/Berlin')).toBe('tomorrow');
		expect(dateValue('2024-13-45', 'Europe/Berlin')).toBe('2024-13-45');
		expect(dateValue('2023-02-29', 'Europe/Berlin')).toBe('2023-02-29');
		expect(dateValue('2024-02-30T10:00:00', 'Europe/Berlin')).toBe('2024-02-30T10:00:00');
		expect(dateValue('', 'Europe/Berlin')).toBe('');
		expect(dateValue(undefined, 'Europe/Berlin')).toBeUndefined();
		expect(dateValue(42, 'Europe/Berlin')).toBe(42);
	});

	it('takes a Date, and a Luxon DateTime as an expression gives it', () => {
		const at = new Date('2024-05-12T10:00:00Z');
		expect(dateValue(at, 'Europe/Berlin')).toBe(at);
		const luxonLike = { toJSDate: () => at };
		expect(dateValue(luxonLike, 'Europe/Berlin')).toBe(at);
	});

	it('reads the time as UTC when the zone name is unknown', () => {
		expect(iso(dateValue('2024-05-12T10:00:00', 'Mars/Olympus_Mons'))).toBe(
			'2024-05-12T10:00:00.000Z',
		);
	});
});
