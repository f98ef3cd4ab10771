/** What a permission or throttle may read about the view handling a request (DRF's `view`). */
export interface View {
  /** The viewset's basename or the route's name, for messages and model permissions. */
  readonly name: string
  /** The action: list, create, retrieve, update, partial_update, destroy, or a custom one. */
  readonly action: string
  /** The object's column naming its owner (IsOwner, IsOwnerOrReadOnly); `owner_id` if unset. */
  readonly ownerField?: string
}
