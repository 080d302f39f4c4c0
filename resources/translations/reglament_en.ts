<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Main</name>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="382" />
        <source>%n ticket(s)</source>
        <translation><numerusform>%n ticket</numerusform><numerusform>%n tickets</numerusform></translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message numerus="yes">
        <location filename="../../ui/tray.py" line="39" />
        <source>%n ticket(s) about to breach the SLA: {0}</source>
        <translation><numerusform>%n ticket about to breach the SLA: {0}</numerusform><numerusform>%n tickets about to breach the SLA: {0}</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/tray.py" line="45" />
        <source>%n new ticket(s): {0}</source>
        <translation><numerusform>%n new ticket: {0}</numerusform><numerusform>%n new tickets: {0}</numerusform></translation>
    </message>
</context>
</TS>