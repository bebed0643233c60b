/** dateInput refuses days that do not exist instead of letting Date.parse roll them into the next month. */
import { InvalidInputError } from '../../src/shared';
import { dateInput } from '../../src/rest/validate';

describe('dateInput and the calendar', () => {
	it('refuses 30 February, 29 February of a common year and 31 April, with or without a time', () => {
		for (const text of [
			'2024-02-30',
			'2023-02-29',
			'2024-04-31T10:00:00',
			'2024-02-31T10:00:00Z',
			'2024-06-31T00:00:00+02:00',
		]) {
			expect(() => dateInput(text, 'when')).toThrow(InvalidInputError);
			expect(() => dateInput(text, 'when')).toThrow(`"${text}" is not a date`);
		}
	});

	it('still takes every day that exists, leap days included', () => {
		expect(dateInput('2024-02-29', 'when')).toBe(Date.UTC(2024, 1, 29));
		expect(dateInput('2024-12-31T23:59:59', 'when')).toBe(Date.UTC(2024, 11, 31, 23, 59, 59));
		expect(dateInput('2024-03-01T00:30:00+02:00', 'when')).toBe(Date.UTC(2024, 1, 29, 22, 30));
	});
});
