/** Methods that only read: DRF's SAFE_METHODS. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])
