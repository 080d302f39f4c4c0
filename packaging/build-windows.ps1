# Builds the Windows installer from a checkout into dist\ (run in PowerShell from any folder):
#   powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
# Needs Python 3.11+ (python.org, "py" launcher) and Inno Setup 6 (winget install JRSoftware.InnoSetup).
# Output: dist\reglament\ (reglament.exe, reglament-cli.exe) and dist\reglament-VERSION-windows-x64-setup.exe
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$started = Get-Date

if (-not (Test-Path .venv\Scripts\python.exe)) {
  if (Get-Command py -ErrorAction SilentlyContinue) { py -3.11 -m venv .venv } else { python -m venv .venv }
  if ($LASTEXITCODE -ne 0) { throw "cannot make .venv: install Python 3.11 from python.org" }
}
.venv\Scripts\python -m pip install -q -e ".[postgres]" "pyinstaller>=6.0"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
$version = .venv\Scripts\python -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"

Remove-Item -Recurse -Force dist\reglament, build\pyinstaller -ErrorAction SilentlyContinue
.venv\Scripts\pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller packaging\reglament.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# The console program answers before anything is packed.
$said = & dist\reglament\reglament-cli.exe --version
if ($said -ne "reglament $version") { throw "reglament-cli.exe --version said '$said'" }

$iscc = (Get-Command iscc -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc /Q "/DAppVersion=$version" packaging\windows\reglament.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host ("build-windows: dist\reglament-$version-windows-x64-setup.exe in {0:N0} s" -f ((Get-Date) - $started).TotalSeconds)
