// ${env:NAME} and ${env:NAME:-default} in string values. `$${` writes a literal `${`.
// Like the shell, `:-` uses the default when the variable is unset or empty. Other `${…}` text is left
// alone (it may be the app's own template syntax) unless it starts with `${env:` and is malformed.

export interface InterpolationResult {
  value: string;
  errors: string[];
  /** Variables the value used, for messages and tests. */
  used: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function interpolate(input: string, env: NodeJS.ProcessEnv): InterpolationResult {
  const errors: string[] = [];
  const used: string[] = [];
  let out = '';
  let i = 0;
  while (i < input.length) {
    if (input.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!input.startsWith('${env:', i)) {
      out += input[i];
      i += 1;
      continue;
    }
    const end = input.indexOf('}', i);
    if (end < 0) {
      errors.push(`unclosed "\${env:" in ${JSON.stringify(input)}; write \${env:NAME} or \${env:NAME:-default}`);
      out += input.slice(i);
      break;
    }
    const body = input.slice(i + '${env:'.length, end);
    const sep = body.indexOf(':-');
    const name = sep >= 0 ? body.slice(0, sep) : body;
    const fallback = sep >= 0 ? body.slice(sep + 2) : undefined;
    if (!NAME.test(name)) {
      errors.push(`"\${env:${body}}" does not name a variable; write \${env:NAME} or \${env:NAME:-default}`);
    } else {
      used.push(name);
      const v = env[name];
      if (v !== undefined && v !== '') out += v;
      else if (fallback !== undefined) out += fallback;
      else if (v === '') out += '';
      else errors.push(`environment variable ${name} is not set; set it, or give a default with \${env:${name}:-value}`);
    }
    i = end + 1;
  }
  return { value: out, errors, used };
}
