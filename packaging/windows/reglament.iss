; Inno Setup script: wraps the PyInstaller one-folder build (dist\reglament) into an installer.
;   pyinstaller packaging\reglament.spec  then  iscc packaging\windows\reglament.iss
[Setup]
AppId={{8C1F6A52-3B1E-4E07-9E55-5B6F1E0A7C21}
AppName=Reglament
AppVersion=0.1.0
AppPublisher=Reglament
DefaultDirName={autopf}\Reglament
DefaultGroupName=Reglament
OutputBaseFilename=reglament-0.1.0-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog

[Languages]
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\reglament\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Reglament"; Filename: "{app}\reglament.exe"
Name: "{group}\Reglament (demo)"; Filename: "{app}\reglament.exe"; Parameters: "--demo"

[Run]
Filename: "{app}\reglament.exe"; Parameters: "--demo"; Description: "Open Reglament on demo data"; Flags: nowait postinstall skipifsilent
