/*
 * Drives Adobe's Cloud Manager JS SDK (@adobe/aio-lib-cloudmanager, unmodified) for tests/sdk.
 *
 * Input: one JSON object on stdin, {"method": "<SDK method>", "args": [...]}.
 * Environment: CM_BASE_URL, CM_ORG_ID, CM_API_KEY, CM_ACCESS_TOKEN (the SDK's `init` arguments).
 * Output: one JSON line on stdout, {"result": ...} or {"error": {"code": ..., "message": ...}}.
 * The SDK's error objects also carry the token and the API key (`sdkDetails`): never printed.
 */
'use strict'

const { init } = require('@adobe/aio-lib-cloudmanager')

function readStdin () {
  return new Promise((resolve, reject) => {
    let text = ''
    process.stdin.setEncoding('utf8')
    process.stdin.on('data', (chunk) => { text += chunk })
    process.stdin.on('end', () => resolve(text))
    process.stdin.on('error', reject)
  })
}

// HAL resources (halfred) become the JSON the API answered; plain values stay as they are.
function plain (value) {
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value.original === 'function') return value.original()
  return value
}

async function main () {
  const { method, args } = JSON.parse(await readStdin())
  const env = process.env
  const sdk = await init(env.CM_ORG_ID, env.CM_API_KEY, env.CM_ACCESS_TOKEN, env.CM_BASE_URL)
  if (typeof sdk[method] !== 'function' || method.startsWith('_')) {
    throw new Error(`the SDK has no public method ${method}`)
  }
  try {
    const result = plain(await sdk[method](...(args || [])))
    process.stdout.write(JSON.stringify({ result: result === undefined ? null : result }) + '\n')
  } catch (error) {
    const shown = { code: error.code || null, message: error.message }
    process.stdout.write(JSON.stringify({ error: shown }) + '\n')
  }
}

main().catch((error) => {
  process.stderr.write(`driver failed: ${error.stack || error}\n`)
  process.exit(2)
})
