export const LAUNCHD_LABEL = 'dev.owl.owld';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const string = (value: string) => `<string>${escapeXml(value)}</string>`;

export interface LaunchdPlistInput {
  command: string[];
  home: string;
  /** daemon.out: what the daemon printed before its own log was open. */
  outFile: string;
}

/** The job `owl service install` loads: started at boot/login, kept alive, apps outliving it. */
export function renderLaunchdPlist(input: LaunchdPlistInput): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `owl service install`; `owl service uninstall` removes it. -->',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>${string(LAUNCHD_LABEL)}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...input.command.map((word) => `    ${string(word)}`),
    '  </array>',
    '  <key>EnvironmentVariables</key>',
    `  <dict><key>OWL_HOME</key>${string(input.home)}</dict>`,
    '  <key>RunAtLoad</key><true/>',
    '  <key>KeepAlive</key><true/>',
    // launchd kills the job's whole process group when the job exits; apps must outlive the daemon.
    '  <key>AbandonProcessGroup</key><true/>',
    '  <key>ThrottleInterval</key><integer>2</integer>',
    '  <key>ProcessType</key><string>Standard</string>',
    `  <key>StandardOutPath</key>${string(input.outFile)}`,
    `  <key>StandardErrorPath</key>${string(input.outFile)}`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
