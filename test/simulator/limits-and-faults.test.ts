import { ManualClock } from '../../simulator/clock';
import { Faults } from '../../simulator/faults';
import { retryAfterSeconds, SlidingWindowLimiter } from '../../simulator/rate-window';

describe('SlidingWindowLimiter (the documented "N per window" limits)', () => {
	it('allows N in a window, refuses the next with the wait until the oldest leaves the window', () => {
		const clock = new ManualClock(0);
		const limiter = new SlidingWindowLimiter(clock, 3, 1000);
		expect([limiter.take(), limiter.take()].every((d) => d.allowed)).toBe(true);
		clock.advance(400);
		expect(limiter.take().allowed).toBe(true);
		expect(limiter.take()).toEqual({ allowed: false, retryAfterMs: 600 });
		clock.advance(599);
		expect(limiter.take().allowed).toBe(false);
		clock.advance(1);
		expect(limiter.take().allowed).toBe(true);
		expect(limiter.used()).toBe(2);
	});

	it('keeps keys apart and counts nothing on check', () => {
		const clock = new ManualClock(0);
		const limiter = new SlidingWindowLimiter(clock, 1, 60_000);
		expect(limiter.take('a').allowed).toBe(true);
		expect(limiter.check('b').allowed).toBe(true);
		expect(limiter.check('b').allowed).toBe(true);
		expect(limiter.take('b').allowed).toBe(true);
		expect(limiter.take('a').allowed).toBe(false);
	});

	it('rounds Retry-After up to whole seconds, never 0', () => {
		expect(retryAfterSeconds(0)).toBe(1);
		expect(retryAfterSeconds(1001)).toBe(2);
		expect(retryAfterSeconds(60_000)).toBe(60);
	});
});

describe('Faults', () => {
	it('serves queued HTTP faults in order, per API, exactly count times', () => {
		const faults = new Faults();
		faults.failNextHttp({ api: 'rest', status: 429, retryAfter: 3, count: 2 });
		faults.failNextHttp({ status: 503 });
		expect(faults.takeHttpFault('sunshine')).toEqual({
			api: undefined,
			status: 503,
			retryAfter: undefined,
			body: undefined,
		});
		expect(faults.takeHttpFault('sunshine')).toBeUndefined();
		expect(faults.takeHttpFault('rest')).toMatchObject({ status: 429, retryAfter: 3 });
		expect(faults.takeHttpFault('rest')).toMatchObject({ status: 429 });
		expect(faults.takeHttpFault('rest')).toBeUndefined();
		expect(faults.served).toEqual({
			conversations: 0,
			rest: 2,
			streaming: 0,
			sunshine: 1,
			support: 0,
			model: 0,
		});
	});

	it('rejects nonsense faults', () => {
		const faults = new Faults();
		expect(() => faults.failNextHttp({ status: 200 })).toThrow(/status/);
		expect(() => faults.failNextHttp({ status: 500, count: 0 })).toThrow(/count/);
	});

	it('sets and clears delays and silenced pings per API', () => {
		const faults = new Faults();
		faults.setDelay({ ms: 50 });
		faults.setDelay({ api: 'rest', ms: 0 });
		expect(faults.delayFor('conversations')).toBe(50);
		expect(faults.delayFor('rest')).toBe(0);
		faults.setPingSilenced({ api: 'streaming', silenced: true });
		expect(faults.isPingSilenced('streaming')).toBe(true);
		expect(faults.isPingSilenced('conversations')).toBe(false);
		faults.reset();
		expect(faults.delayFor('conversations')).toBe(0);
		expect(faults.isPingSilenced('streaming')).toBe(false);
	});
});
