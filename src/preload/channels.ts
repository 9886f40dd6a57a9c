// Channel names for the preload. The contract module also defines them, but importing it at run
// time pulls in zod, and a sandboxed preload can require nothing but electron. So the preload
// imports the contract as types only and spells the prefix here, pinned to the contract's by
// type (test/preload/api.test.ts also checks every channel against callChannel/eventChannel).
import type { CHANNEL_PREFIX as ContractPrefix, CallName, EventName } from '../shared/contract'

const CHANNEL_PREFIX: typeof ContractPrefix = 'loglens:'

export const callChannel = (name: CallName): string => CHANNEL_PREFIX + name
export const eventChannel = (name: EventName): string => CHANNEL_PREFIX + 'event:' + name
