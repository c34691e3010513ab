import { Input } from 'antd'
import { useState } from 'react'
import { formatDuration, parseDuration } from '@renderer/model/format'

/**
 * A duration typed the way operators write it (`3h10m`, `15m`, `90s`). The form value is seconds;
 * an empty field is `undefined` (inherit the default shown as placeholder); text that does not
 * parse is NaN, which the field's validator rejects.
 */
export function DurationInput({ value, onChange, placeholder, testId, id }: { value?: number; onChange?: (v: number | undefined) => void; placeholder?: string; testId?: string; id?: string }) {
  const [text, setText] = useState(value !== undefined && Number.isFinite(value) ? formatDuration(value) : '')
  // Follow outside changes (a form reset) during render, but never rewrite what the operator is
  // still typing: text that already means `value` stays as typed. Object.is: NaN equals NaN here.
  const [seen, setSeen] = useState(value)
  if (!Object.is(value, seen)) {
    setSeen(value)
    if (value === undefined) {
      if (parseDuration(text) !== null) setText('')
    } else if (Number.isFinite(value) && parseDuration(text) !== value) setText(formatDuration(value))
  }
  return (
    <Input
      id={id}
      value={text}
      placeholder={placeholder}
      className="md-mono"
      data-testid={testId}
      onChange={(e) => {
        const t = e.target.value
        setText(t)
        if (t.trim() === '') onChange?.(undefined)
        else onChange?.(parseDuration(t) ?? Number.NaN)
      }}
    />
  )
}

/** Form rule for a DurationInput: empty allowed unless required; otherwise 1 s … 30 days. */
export function durationRule(message: string, required = false) {
  return {
    validator: (_: unknown, v: number | undefined) => {
      if (v === undefined) return required ? Promise.reject(new Error(message)) : Promise.resolve()
      return Number.isFinite(v) && v >= 1 && v <= 30 * 24 * 3600 ? Promise.resolve() : Promise.reject(new Error(message))
    }
  }
}
