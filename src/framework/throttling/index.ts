export { memoryThrottleStore } from './memory-throttle-store.ts'
export { parseRate, parseRates, type Rate } from './rate.ts'
export {
  AnonRateThrottle,
  byIp,
  byUserOrIp,
  type Identify,
  loginThrottle,
  rateThrottle,
  ScopedRateThrottle,
  UserRateThrottle,
} from './rate-throttle.ts'
export { redisThrottleStore } from './redis-throttle-store.ts'
export type { Throttle } from './throttle.ts'
export { type HitResult, type ThrottleStore, waitSeconds } from './throttle-store.ts'
export type { ThrottlingContext } from './throttling-context.ts'
