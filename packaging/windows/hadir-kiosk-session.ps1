# hadir-kiosk-session.ps1: the Windows counterpart of packaging/linux/hadir-kiosk-session.
# Starts the Hadir kiosk and starts it again whenever it ends (1 s pause; growing to 30 s while it
# keeps ending within a minute of its start, e.g. with a broken configuration).
# NOT TRIED: CI and the developers run Linux only; see docs/kiosk-setup.md.
#
# Use from the kiosk account's Startup folder or a scheduled task "At log on":
#   powershell.exe -NoProfile -WindowStyle Hidden -ExecutionPolicy Bypass -File "C:\Program Files\Hadir\hadir-kiosk-session.ps1"
param(
  [string]$Kiosk = (Join-Path $PSScriptRoot "hadir-kiosk.exe"),
  [string]$Config = (Join-Path $env:ProgramData "Hadir\hadir.toml"),
  [int]$MaxDelay = 30
)

$arguments = @()
if (Test-Path $Config) { $arguments = @("--config", $Config) }
$delay = 1
while ($true) {
  $started = Get-Date
  # -ArgumentList refuses an empty list: pass it only with a config to name (quoted: paths
  # under Program Files have spaces).
  if ($arguments.Count -gt 0) {
    $process = Start-Process -FilePath $Kiosk -ArgumentList ($arguments | ForEach-Object { '"' + $_ + '"' }) -PassThru -Wait
  } else {
    $process = Start-Process -FilePath $Kiosk -PassThru -Wait
  }
  $ran = ((Get-Date) - $started).TotalSeconds
  if ($ran -ge 60) { $delay = 1 }
  Write-EventLog -LogName Application -Source "Hadir" -EventId 1 -EntryType Warning `
    -Message "hadir-kiosk ended with status $($process.ExitCode) after $([int]$ran) s; starting it again in $delay s" `
    -ErrorAction SilentlyContinue
  Start-Sleep -Seconds $delay
  $delay = [Math]::Min($delay * 2, $MaxDelay)
}
