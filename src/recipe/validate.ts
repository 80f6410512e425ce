/**
 * Validators for recipe values. Each returns `undefined` for a valid value, else a sentence
 * fragment saying what is wrong and what is accepted. Callers wrap that fragment in a typed
 * error that names where the value came from.
 *
 * Values are checked even though the provisioning script treats them as data, so that a bad
 * value fails before any build starts and never reaches a package manager or `useradd`.
 */

/** `useradd`'s portable rule: lowercase letter or `_` first, then letters, digits, `_`, `-`; 32 characters at most. */
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
/** Package names and version pins of apt, apk, dnf, zypper and pacman, without shell metacharacters. */
const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9+._:=~-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const MODE = /^0?[0-7]{3,4}$/;
const OWNER_PART = '(?:[a-z_][a-z0-9_-]{0,31}|[0-9]{1,10})';
const OWNER = new RegExp(`^${OWNER_PART}(?::${OWNER_PART})?$`);
const SHA256 = /^[a-f0-9]{64}$/;
const PLATFORM = /^[a-z0-9_]+\/[a-z0-9_]+(?:\/[a-z0-9_]+)?$/;
const NETWORK = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const CONTROL_CHARACTER = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** A UTF-16 surrogate without its pair; such a string has no UTF-8 encoding. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Characters of a home directory or login shell: /etc/passwd separates fields with `:`. */
const ACCOUNT_PATH = /^\/[A-Za-z0-9._+@\/-]*$/;

/** Largest UID and GID that Linux and Docker accept. */
export const MAX_ID = 2_147_483_647;

export function checkUserName(value: string): string | undefined {
  if (USER_NAME.test(value)) return undefined;
  return 'is not a valid user name; use a lowercase letter or `_` first, then lowercase letters, digits, `_` or `-`, at most 32 characters';
}

export function checkId(value: number): string | undefined {
  if (Number.isInteger(value) && value >= 0 && value <= MAX_ID) return undefined;
  return `is not a valid UID or GID; use an integer from 0 to ${MAX_ID}`;
}

export function checkPackageName(value: string): string | undefined {
  if (PACKAGE_NAME.test(value)) return undefined;
  return 'is not a valid package name; use letters, digits and `+ . _ : = ~ -`, starting with a letter or digit';
}

export function checkEnvName(value: string): string | undefined {
  if (ENV_NAME.test(value)) return undefined;
  return 'is not a valid environment variable name; use letters, digits and `_`, not starting with a digit';
}

/** Environment and label values: any text without control characters other than tab. */
export function checkTextValue(value: string): string | undefined {
  if (CONTROL_CHARACTER.test(value)) return 'contains a newline or another control character, which a Dockerfile ENV or LABEL cannot hold';
  if (LONE_SURROGATE.test(value)) return 'contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding';
  return undefined;
}

export function checkLabelKey(value: string): string | undefined {
  if (value.startsWith('sandbox-image.')) return 'uses the prefix `sandbox-image.`, which the library reserves for its own labels';
  if (LABEL_KEY.test(value)) return undefined;
  return 'is not a valid label key; use letters, digits and `. _ / -`, starting with a letter or digit';
}

export function checkAbsolutePath(value: string): string | undefined {
  if (!value.startsWith('/')) return 'is not an absolute path; start it with `/`';
  if (CONTROL_CHARACTER.test(value) || value.includes('\t')) return 'contains a control character';
  if (LONE_SURROGATE.test(value)) return 'contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding';
  if (value.split('/').some((part) => part === '..' || part === '.')) return 'contains a `.` or `..` component; write the normalised path';
  return undefined;
}

/** Directories of the operating system that provisioning must never give to the sandbox user. */
const SYSTEM_DIRECTORIES = new Set(['/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/var', '/home']);

/**
 * Working directory: an absolute path other than `/` and the top-level system directories,
 * because provisioning makes the working directory the sandbox user's.
 */
export function checkWorkdir(value: string): string | undefined {
  const problem = checkAbsolutePath(value);
  if (problem) return problem;
  const normalized = value.length > 1 ? value.replace(/\/+$/, '') : value;
  if (SYSTEM_DIRECTORIES.has(normalized)) {
    return 'is a system directory, which provisioning would give to the sandbox user; use a directory of its own, such as /workspace';
  }
  return undefined;
}

/** Destination of a copied or downloaded file: an absolute path that names a file, not a directory. */
export function checkFilePath(value: string): string | undefined {
  const problem = checkAbsolutePath(value);
  if (problem) return problem;
  if (value.endsWith('/')) return 'ends with `/`; name the file itself, such as /etc/app/config.toml';
  return undefined;
}

/** Home directory and login shell, which are fields of /etc/passwd. */
export function checkAccountPath(value: string): string | undefined {
  const problem = checkAbsolutePath(value);
  if (problem) return problem;
  if (!ACCOUNT_PATH.test(value)) return 'contains a character other than letters, digits and `. _ + @ / -`, which /etc/passwd tools reject';
  return undefined;
}

export function checkMode(value: string): string | undefined {
  if (MODE.test(value)) return undefined;
  return 'is not an octal mode; write it as a string such as "0755"';
}

export function checkOwner(value: string): string | undefined {
  if (OWNER.test(value)) return undefined;
  return 'is not a valid owner; write `user` or `user:group`, with names or numeric ids';
}

export function checkSha256(value: string): string | undefined {
  if (SHA256.test(value)) return undefined;
  return 'is not a SHA-256 checksum; write 64 lowercase hexadecimal digits';
}

export function checkDownloadUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'is not an http:// or https:// URL';
  if (!/^[\x21-\x7e]+$/.test(value)) return 'contains white space, a control character or a non-ASCII character; percent-encode them';
  if (/["'\\]/.test(value)) return 'contains a quote or a backslash; percent-encode them';
  return undefined;
}

export function checkPlatform(value: string): string | undefined {
  if (PLATFORM.test(value)) return undefined;
  return 'is not a platform; write `os/architecture[/variant]`, such as `linux/amd64` or `linux/arm64/v8`';
}

export function checkNetworkMode(value: string): string | undefined {
  if (NETWORK.test(value)) return undefined;
  return 'is not a network name; use `host`, `none`, `bridge` or the name of a network';
}

/** A shell step may span lines; only NUL and unpaired surrogates are rejected because no process can receive them. */
export function checkStepCommand(value: string): string | undefined {
  if (value.trim().length === 0) return 'is empty';
  return checkArgument(value);
}

/** An exec-form argument (ENTRYPOINT, CMD): any text without NUL. */
export function checkArgument(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(value)) return 'contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding';
  return undefined;
}
