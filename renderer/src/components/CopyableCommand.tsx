import { Typography } from 'antd'

/** A command the operator may run by hand: monospace, copyable, shown exactly. */
export function CopyableCommand({ command, testId }: { command: string; testId?: string }) {
  return (
    <Typography.Text code copyable={{ text: command }} className="md-command" data-testid={testId}>
      {command}
    </Typography.Text>
  )
}
