/** The Python type name DRF's messages give a JSON value ("received str", "got list"). */
export function pythonTypeName(data: unknown): string {
  if (data === null) return 'NoneType'
  if (Array.isArray(data)) return 'list'
  if (typeof data === 'string') return 'str'
  if (typeof data === 'boolean') return 'bool'
  if (typeof data === 'number') return Number.isInteger(data) ? 'int' : 'float'
  if (typeof data === 'object') return 'dict'
  return typeof data
}
