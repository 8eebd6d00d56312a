// Types of model.js (the console's plain ES module), for the unit tests.

/** Claims the console reads from an operator token. */
export interface OperatorClaims {
  sub?: string;
  role?: unknown;
  roles?: unknown;
  exp?: number;
  [claim: string]: unknown;
}
export type Role = 'viewer' | 'migrator' | 'admin';
export interface Counter {
  done?: number;
  total: number;
}
export interface MigrationLike {
  state?: string;
  percent?: number;
  progress?: { rows?: Counter; objects?: Counter; bytes?: Counter; phase?: string } | null;
}

export const ROLES: Role[];
export const TERMINAL_STATES: string[];
export function decodeClaims(token: string): OperatorClaims | null;
export function roleOf(claims: OperatorClaims | null): Role;
export function can(role: Role, required: Role): boolean;
export function fractionOf(m: MigrationLike): number | undefined;
export class EtaTracker {
  constructor(windowMs?: number);
  update(id: string, fraction: number | undefined, now?: number): number | undefined;
  estimate(id: string, now?: number): number | undefined;
}
export function formatBytes(n: number | undefined): string;
export function formatDuration(ms: number | undefined): string;
export function formatRelative(iso: string, now?: number): string;
export function formatCounter(c: Counter | undefined, format?: (n: number) => string): string;
