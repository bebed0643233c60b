import type { ZendeskError } from '../../src/shared/errors';
import type { MetricListener, MetricReading, StreamingStatus } from '../../src/streaming';

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
	condition: () => boolean,
	what: string | (() => string) = 'condition',
	timeoutMs = 5000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** A listener that keeps everything it is given, for assertions. */
export class Recorder implements MetricListener {
	readonly updates: MetricReading[] = [];
	readonly errors: ZendeskError[] = [];
	readonly statuses: StreamingStatus[] = [];

	onUpdate = (reading: MetricReading): void => {
		this.updates.push(reading);
	};

	onError = (error: ZendeskError): void => {
		this.errors.push(error);
	};

	onStatus = (status: StreamingStatus): void => {
		this.statuses.push(status);
	};

	values(): Array<number | null> {
		return this.updates.map((u) => u.value);
	}

	async nextValue(value: number | null, what = `value ${value}`): Promise<MetricReading> {
		await waitFor(() => this.updates.some((u) => u.value === value), what);
		return this.updates.find((u) => u.value === value)!;
	}
}
