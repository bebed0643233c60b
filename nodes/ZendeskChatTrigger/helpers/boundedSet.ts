/** A set that forgets its oldest members beyond `max`, so a long-running trigger's memory stays bounded. */
export class BoundedSet {
	private readonly members = new Set<string>();

	constructor(private readonly max: number) {}

	has(value: string): boolean {
		return this.members.has(value);
	}

	add(value: string): void {
		this.members.delete(value);
		this.members.add(value);
		if (this.members.size > this.max)
			this.members.delete(this.members.values().next().value as string);
	}
}
