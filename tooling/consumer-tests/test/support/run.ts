import { spawn } from 'node:child_process';

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr, in one string, for messages and searches. */
  readonly output: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Resolve with a non-zero exit code instead of rejecting (for runs whose failures are the point). */
  readonly allowFailure?: boolean;
  readonly timeoutMs?: number;
}

/** Runs a command to completion; rejects with its output when it fails (unless `allowFailure`) or times out. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start \`${command}\`: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr, output: `${stdout}${stderr}` };
      if (code === 0 || (options.allowFailure && signal === null)) resolve(result);
      else {
        const how = signal ? `was killed (${signal})` : `exited with ${code}`;
        reject(new Error(`\`${command} ${args.join(' ')}\` in ${options.cwd} ${how}:\n${result.output}`));
      }
    });
  });
}

/**
 * The environment for a tool that should behave as on a user's machine: without the `npm_config_*`,
 * `npm_package_*` and `npm_lifecycle_*` variables pnpm sets for the script that runs these tests, but keeping
 * the registry, cache, proxy and certificate settings a CI machine may need.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const kept = /^npm_config_(registry|cache|proxy|https_proxy|http_proxy|noproxy|no_proxy|cafile|ca|strict_ssl|store_dir)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_)/i.test(key) && !kept.test(key)) continue;
    if (key === 'INIT_CWD' || key === 'PNPM_SCRIPT_SRC_DIR') continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}
