; Inno Setup 6 script: wraps the PyInstaller one-folder build (dist\reglament) into an installer.
; Run by packaging\build-windows.ps1, which passes the version read from pyproject.toml:
;   iscc /DAppVersion=X.Y.Z packaging\windows\reglament.iss   ->  dist\reglament-X.Y.Z-windows-x64-setup.exe
; The Start menu gets the window (reglament.exe) and the demo; reglament-cli.exe is the console
; program for --help, scripts and `account add --password-stdin`. Nothing opens after installing
; unless the user ticks it. Uninstalling asks whether to delete the data folder and this
; computer's saved passwords (the accounts themselves may belong to a team's database).
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (packaging\build-windows.ps1 does)
#endif

[Setup]
AppId={{8C1F6A52-3B1E-4E07-9E55-5B6F1E0A7C21}
AppName=Reglament
AppVersion={#AppVersion}
AppVerName=Reglament {#AppVersion}
AppPublisher=Reglament
DefaultDirName={autopf}\Reglament
DefaultGroupName=Reglament
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=reglament-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\icons\reglament.ico
UninstallDisplayIcon={app}\reglament.exe
UninstallDisplayName=Reglament
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog
CloseApplications=yes

[Languages]
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
russian.DemoShortcut=Регламент (демо)
english.DemoShortcut=Reglament (demo)
russian.RemoveData=Удалить также данные Регламента (обращения, вложения, настройки: %1) и сохранённые на этом компьютере пароли почтовых ящиков?%n%nЕсли вы собираетесь установить Регламент снова, ответьте «Нет».
english.RemoveData=Also delete Reglament's data (tickets, attachments, settings: %1) and the mailbox passwords saved on this computer?%n%nIf you are going to install Reglament again, answer No.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\reglament\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\Reglament"; Filename: "{app}\reglament.exe"
Name: "{group}\{cm:DemoShortcut}"; Filename: "{app}\reglament.exe"; Parameters: "--demo"
Name: "{group}\{cm:UninstallProgram,Reglament}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Reglament"; Filename: "{app}\reglament.exe"; Tasks: desktopicon

[Run]
; Offered, not ticked: the first start belongs to the user (and never to the demo).
Filename: "{app}\reglament.exe"; Description: "{cm:LaunchProgram,Reglament}"; Flags: nowait postinstall skipifsilent unchecked

[Code]
{ The data folder is platformdirs' user data folder (desktop/config.py: APP_NAME, no author). }
function DataFolder(): String;
begin
  Result := GetEnv('REGLAMENT_HOME');
  if Result = '' then
    Result := ExpandConstant('{localappdata}\Reglament');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  ResultCode: Integer;
begin
  { Before the files go: reglament-cli.exe is still there to clear the keyring. A silent
    uninstall (an administrator's script) keeps everything. }
  if (CurUninstallStep = usUninstall) and (not UninstallSilent) and DirExists(DataFolder()) then
  begin
    if MsgBox(FmtMessage(CustomMessage('RemoveData'), [DataFolder()]), mbConfirmation,
              MB_YESNO or MB_DEFBUTTON2) = IDYES then
    begin
      Exec(ExpandConstant('{app}\reglament-cli.exe'), 'account forget-passwords', '',
           SW_HIDE, ewWaitUntilTerminated, ResultCode);
      DelTree(DataFolder(), True, True, True);
    end;
  end;
end;
