#!/usr/bin/env node
// The package's command. The relay is TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api'

register()
await import('../server/cli.ts')
