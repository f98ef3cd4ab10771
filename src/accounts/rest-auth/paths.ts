/** Where dj-rest-auth's endpoints live (API.md §6). */
export const REST_AUTH = '/rest-auth'
