// The subset of sodium-native that Coffer uses (the package ships no type declarations).
declare module 'sodium-native' {
  export function crypto_onetimeauth(output: Uint8Array, input: Uint8Array, key: Uint8Array): void;
  export function crypto_onetimeauth_verify(mac: Uint8Array, input: Uint8Array, key: Uint8Array): boolean;
  export const crypto_onetimeauth_BYTES: number;
  export const crypto_onetimeauth_KEYBYTES: number;
}
