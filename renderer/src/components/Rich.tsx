import { Fragment } from 'react'

/**
 * A translated sentence with its Lotus names in monospace: the locale files write commands,
 * files, config keys and log text between backticks (`lotus-miner sealing abort`), so they stay
 * exactly as Lotus spells them and read as names, not as words of the sentence.
 */
export function Rich({ text, testId }: { text: string; testId?: string }) {
  const parts = text.split('`')
  if (parts.length < 3) return testId ? <span data-testid={testId}>{text}</span> : <>{text}</>
  return (
    <span data-testid={testId}>
      {parts.map((p, i) =>
        i % 2 === 1 && i < parts.length - 1 ? (
          <code key={i} className="md-mono md-code">
            {p}
          </code>
        ) : (
          <Fragment key={i}>{i % 2 === 1 ? `\`${p}` : p}</Fragment>
        )
      )}
    </span>
  )
}

/** The same sentence as plain text (tooltips, notifications): backticks dropped. */
export function plain(text: string): string {
  return text.replace(/`([^`]*)`/g, '$1')
}
