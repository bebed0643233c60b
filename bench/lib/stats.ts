/** Small statistics helpers; the benches report medians and ratios, never pass/fail on absolute times. */

export function median(values: number[]): number {
	return quantile(values, 0.5);
}

export function quantile(values: number[], q: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const at = (sorted.length - 1) * q;
	const lo = Math.floor(at);
	const hi = Math.ceil(at);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
	const n = xs.length;
	const mx = xs.reduce((a, b) => a + b, 0) / n;
	const my = ys.reduce((a, b) => a + b, 0) / n;
	let num = 0;
	let den = 0;
	for (let i = 0; i < n; i++) {
		num += (xs[i] - mx) * (ys[i] - my);
		den += (xs[i] - mx) ** 2;
	}
	return den === 0 ? 0 : num / den;
}

export function fixed(value: number, digits = 2): string {
	return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** 123456 -> "123,456" */
export function thousands(value: number): string {
	return Math.round(value).toLocaleString('en-US');
}

export function mib(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
