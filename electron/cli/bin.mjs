#!/usr/bin/env node
// `npx minerdesk …`: builds the CLI bundle if its sources changed, then runs it in this process.
import { createRequire } from 'node:module'
import { ensureBundle } from '../tools/bundle.mjs'

const file = await ensureBundle('cli')
createRequire(import.meta.url)(file)
