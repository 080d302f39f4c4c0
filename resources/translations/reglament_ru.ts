<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ru" sourcelanguage="en">
    <context>
        <name>Accounts</name>
    <message>
        <source>Keep a copy of everything sent in the mailbox's Sent folder</source>
        <translation>Сохранять копию всего отправленного в папке «Отправленные» ящика</translation>
    </message>
    <message>
        <source>Sent folder:</source>
        <translation>Папка отправленных:</translation>
    </message>
    <message>
        <source>the one the server marks as Sent, if empty</source>
        <translation>если пусто — та, что сервер отмечает как «Отправленные»</translation>
    </message>
    <message>
        <source>No browser here: sign in with a code on another device</source>
        <translation>Здесь нет браузера: войти с кодом на другом устройстве</translation>
    </message>
    <message>
        <source>Open {0} on any device and enter the code {1}; waiting…</source>
        <translation>Откройте {0} на любом устройстве и введите код {1}; ожидание…</translation>
    </message>
    <message>
        <source>Checking the connection…</source>
        <translation>Проверка подключения…</translation>
    </message>
    <message>
        <source>Provider:</source>
        <translation>Поставщик:</translation>
    </message>
    <message>
        <source>SMTP security:</source>
        <translation>Защита SMTP:</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>OAuth 2.0 (sign in in the browser)</source>
        <translation>OAuth 2.0 (вход в браузере)</translation>
    </message>
    <message>
        <source>Sign-in:</source>
        <translation>Вход:</translation>
    </message>
    <message>
        <source>Issuer:</source>
        <translation>Сервер входа:</translation>
    </message>
    <message>
        <source>your organisation's registered app</source>
        <translation>зарегистрированное приложение вашей организации</translation>
    </message>
    <message>
        <source>Client id:</source>
        <translation>Идентификатор клиента:</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Войти…</translation>
    </message>
    <message>
        <source>Log in to IMAP and SMTP before saving (recommended)</source>
        <translation>Проверить вход в IMAP и SMTP перед сохранением (рекомендуется)</translation>
    </message>
    <message>
        <source>Give the issuer's address; its endpoints are found by OpenID discovery.</source>
        <translation>Укажите адрес сервера входа; его точки доступа будут найдены через OpenID Discovery.</translation>
    </message>
    <message>
        <source>Create an app password</source>
        <translation>Создать пароль приложения</translation>
    </message>
    <message>
        <source>Waiting for the sign-in in the browser…</source>
        <translation>Ожидание входа в браузере…</translation>
    </message>
    <message>
        <source>Signed in again.</source>
        <translation>Вход выполнен заново.</translation>
    </message>
    <message>
        <source>Signed in. Save to check the connection and keep the account.</source>
        <translation>Вход выполнен. Сохраните, чтобы проверить подключение и сохранить учётную запись.</translation>
    </message>
    <message>
        <source>Other OAuth 2.0 provider (OpenID)</source>
        <translation>Другой поставщик OAuth 2.0 (OpenID)</translation>
    </message>
    <message>
        <source>Mail that was in the mailbox long before it is added (File ▸ Settings ▸ Regulation) is imported as its archive: closed tickets, and no client is written to.</source>
        <translation>Письма, лежавшие в ящике задолго до его добавления (Файл ▸ Настройки ▸ Регламент), загружаются как его архив: закрытые обращения, клиентам ничего не отправляется.</translation>
    </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="48" />
            <source>Mail accounts</source>
            <translation>Почтовые ящики</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="65" />
            <source>New</source>
            <translation>Новый</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="67" />
            <source>Remove</source>
            <translation>Убрать</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="77" />
            <source>Name:</source>
            <translation>Имя:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="78" />
            <source>Address:</source>
            <translation>Адрес:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="79" />
            <source>Shown as:</source>
            <translation>Имя отправителя:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="79" />
            <source>Support team</source>
            <translation>Служба поддержки</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="80" />
            <source>Login:</source>
            <translation>Логин:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="80" />
            <source>the address, if empty</source>
            <translation>если пусто — адрес</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="81" />
            <source>Password:</source>
            <translation>Пароль:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="83" />
            <source>IMAP server:</source>
            <translation>Сервер IMAP:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="87" />
            <source>IMAP port:</source>
            <translation>Порт IMAP:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="89" />
            <source>SSL/TLS</source>
            <translation>SSL/TLS</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="91" />
            <source>None (local test servers only)</source>
            <translation>Без шифрования (только для локальных тестовых серверов)</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="93" />
            <source>Security:</source>
            <translation>Защита:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="94" />
            <source>SMTP server:</source>
            <translation>Сервер SMTP:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="94" />
            <source>as IMAP, if empty</source>
            <translation>если пусто — как IMAP</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="98" />
            <source>SMTP port:</source>
            <translation>Порт SMTP:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="99" />
            <source>Allow an unencrypted connection to this host</source>
            <translation>Разрешить соединение без шифрования с этим сервером</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="101" />
            <source>The password is kept in the system keyring, never in Reglament's files.</source>
            <translation>Пароль хранится в системном хранилище паролей, а не в файлах Регламента.</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="106" />
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="108" />
            <source>Test connection</source>
            <translation>Проверить соединение</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="193" />
            <source>unchanged — type to replace</source>
            <translation>не изменён — введите, чтобы заменить</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="230" />
            <location filename="../../ui/dialogs/accounts.py" line="237" />
            <source>Saved.</source>
            <translation>Сохранено.</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="250" />
            <source>Save the account first.</source>
            <translation>Сначала сохраните ящик.</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/accounts.py" line="253" />
            <source>Connecting…</source>
            <translation>Подключение…</translation>
        </message>
        <message>
            <source>SMTP login:</source>
            <translation>Логин SMTP:</translation>
        </message>
        <message>
            <source>SMTP password:</source>
            <translation>Пароль SMTP:</translation>
        </message>
        <message>
            <source>only for a server with a company certificate</source>
            <translation>только для сервера с сертификатом компании</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>Выбрать…</translation>
        </message>
        <message>
            <source>CA certificate:</source>
            <translation>Сертификат УЦ:</translation>
        </message>
        <message>
            <source>The company's CA certificate</source>
            <translation>Сертификат удостоверяющего центра компании</translation>
        </message>
        <message>
            <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
            <translation>Сертификаты (*.pem *.crt *.cer);;Все файлы (*)</translation>
        </message>
        <message>
            <source>The password is kept in the keyring, never in Reglament's own files.</source>
            <translation>Пароль хранится в хранилище ключей и никогда — в собственных файлах «Регламента».</translation>
        </message>
        <message>
            <source>Passwords go to {0}.</source>
            <translation>Пароли сохраняются в: {0}.</translation>
        </message>
    </context>
    <context>
        <name>Actions</name>
        <message>
            <location filename="../../ui/actions.py" line="64" />
            <source>Take into work</source>
            <translation>Взять в работу</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="65" />
            <source>Reply…</source>
            <translation>Ответить…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="66" />
            <source>Request information…</source>
            <translation>Запросить информацию…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="67" />
            <source>Escalate…</source>
            <translation>Передать…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="68" />
            <source>Postpone…</source>
            <translation>Отложить…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="69" />
            <source>Refuse…</source>
            <translation>Отказать…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="70" />
            <source>Resolve…</source>
            <translation>Решено…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="71" />
            <source>Close</source>
            <translation>Закрыть</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="72" />
            <source>Reopen…</source>
            <translation>Вернуть в работу…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="73" />
            <source>Assign…</source>
            <translation>Назначить…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="74" />
            <source>Paid work…</source>
            <translation>Платная работа…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="75" />
            <source>Internal note…</source>
            <translation>Внутренняя заметка…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="76" />
            <source>Log work…</source>
            <translation>Учесть работу…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="77" />
            <source>Merge into…</source>
            <translation>Объединить с…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="78" />
            <source>Split…</source>
            <translation>Разделить…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="79" />
            <source>Issue acceptance act</source>
            <translation>Сформировать акт</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="80" />
            <source>Send act to client</source>
            <translation>Отправить акт клиенту</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="81" />
            <source>Act accepted by client</source>
            <translation>Клиент принял акт</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="82" />
            <source>Why this deadline?</source>
            <translation>Почему такой срок?</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="83" />
            <source>Log phone/chat consultation…</source>
            <translation>Записать консультацию по телефону/в чате…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="209" />
            <source>Request information — {0}</source>
            <extracomment>Shown on the detail toolbar, in this order; the rest live in the Ticket menu.</extracomment>
            <translation>Запрос информации — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="210" />
            <source>The message goes to the client and the SLA clock pauses until they answer.</source>
            <translation>Сообщение уйдёт клиенту, а отсчёт SLA остановится до его ответа.</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="211" />
            <source>Send and wait</source>
            <translation>Отправить и ждать</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="212" />
            <source>Message:</source>
            <translation>Сообщение:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="221" />
            <source>Escalate — {0}</source>
            <translation>Передать — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="221" />
            <source>Escalate</source>
            <translation>Передать</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="222" />
            <source>(same department)</source>
            <translation>(тот же отдел)</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="225" />
            <source>Hand to:</source>
            <translation>Кому:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="226" />
            <source>Note for colleagues:</source>
            <translation>Заметка для коллег:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="235" />
            <source>Postpone — {0}</source>
            <translation>Отложить — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="235" />
            <source>Refuse — {0}</source>
            <translation>Отказать — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="237" />
            <source>The reply is filled from the reason's template; edit it or clear it to send nothing.</source>
            <translation>Ответ заполнен по шаблону причины; измените его или очистите, чтобы ничего не отправлять.</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="239" />
            <source>Postpone</source>
            <translation>Отложить</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="239" />
            <source>Refuse</source>
            <translation>Отказать</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="242" />
            <source>Reason:</source>
            <translation>Причина:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="243" />
            <source>Reply to the client:</source>
            <translation>Ответ клиенту:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="244" />
            <source>Internal note:</source>
            <translation>Внутренняя заметка:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="271" />
            <source>Resolve — {0}</source>
            <translation>Решено — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="271" />
            <source>Resolve</source>
            <translation>Решено</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="272" />
            <source>What was done:</source>
            <translation>Что сделано:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="273" />
            <location filename="../../ui/actions.py" line="353" />
            <source>Tell the client</source>
            <translation>Сообщить клиенту</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="288" />
            <source>Reopen — {0}</source>
            <translation>Вернуть в работу — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="288" />
            <source>Reopen</source>
            <translation>Вернуть в работу</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="289" />
            <location filename="../../ui/actions.py" line="318" />
            <source>Why:</source>
            <translation>Почему:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="298" />
            <source>Assign — {0}</source>
            <translation>Назначить — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="298" />
            <source>Assign</source>
            <translation>Назначить</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="299" />
            <source>Nobody</source>
            <translation>Никто</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="304" />
            <source>Agent:</source>
            <translation>Сотрудник:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="313" />
            <source>Paid work — {0}</source>
            <translation>Платная работа — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="314" />
            <source>Work is paid when it was asked outside the plan's hours and is urgent, when the contract has expired, or when it is not about the client's services.</source>
            <translation>Работа платная, если её срочно запросили вне часов тарифа, если договор истёк или если она не относится к услугам клиента.</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="316" />
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="317" />
            <source>This work is paid</source>
            <translation>Работа платная</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="327" />
            <source>Internal note — {0}</source>
            <translation>Внутренняя заметка — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="328" />
            <source>Notes are seen by support only.</source>
            <translation>Заметки видит только поддержка.</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="328" />
            <source>Add note</source>
            <translation>Добавить заметку</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="329" />
            <source>Note:</source>
            <translation>Заметка:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="337" />
            <source>Log work — {0}</source>
            <translation>Учёт работы — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="337" />
            <source>Log</source>
            <translation>Учесть</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="338" />
            <source>Work done:</source>
            <translation>Выполненная работа:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="339" />
            <source>Time:</source>
            <translation>Время:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="339" />
            <source> min</source>
            <translation> мин</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="340" />
            <source>Amount (paid work):</source>
            <translation>Сумма (платная работа):</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="349" />
            <source>Merge — {0}</source>
            <translation>Объединение — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="350" />
            <source>This ticket becomes a duplicate; its correspondence moves to the original.</source>
            <translation>Это обращение станет дубликатом; его переписка перейдёт в исходное.</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="351" />
            <source>Merge</source>
            <translation>Объединить</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="352" />
            <source>Original ticket:</source>
            <translation>Исходное обращение:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="361" />
            <source>Split — {0}</source>
            <translation>Разделение — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="362" />
            <source>Tick the messages that make a new ticket (one question per ticket).</source>
            <translation>Отметьте сообщения для нового обращения (один вопрос — одно обращение).</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="363" />
            <source>Split</source>
            <translation>Разделить</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="375" />
            <source>Messages:</source>
            <translation>Сообщения:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="376" />
            <source>Subject of the new ticket:</source>
            <translation>Тема нового обращения:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="389" />
            <source>Act {0} saved to {1}</source>
            <translation>Акт {0} сохранён: {1}</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="396" />
            <source>Act {0} queued to the client</source>
            <translation>Акт {0} поставлен в очередь на отправку клиенту</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="402" />
            <source>Act {0} accepted</source>
            <translation>Акт {0} принят</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="410" />
            <source>Log a phone or chat consultation</source>
            <translation>Консультация по телефону или в чате</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="411" />
            <source>Changes to accounts are accepted only in writing: tick the box if the client asked for one, and the ticket will say so.</source>
            <translation>Изменения в учётных записях принимаются только в письменном виде: отметьте, если клиент об этом просил, и обращение будет помечено.</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="413" />
            <source>Create ticket</source>
            <translation>Создать обращение</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="414" />
            <source>Channel:</source>
            <translation>Канал:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="415" />
            <source>Phone</source>
            <translation>Телефон</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="415" />
            <source>Chat</source>
            <translation>Чат</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="416" />
            <source>Client's e-mail:</source>
            <translation>Адрес клиента:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="417" />
            <source>Name:</source>
            <translation>Имя:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="418" />
            <source>Subject:</source>
            <translation>Тема:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="419" />
            <source>What was asked and answered:</source>
            <translation>Вопрос и ответ:</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" line="420" />
            <source>The client asked to change an account</source>
            <translation>Клиент просил изменить учётную запись</translation>
        </message>
        <message>
            <source>Edit ticket…</source>
            <translation>Изменить обращение…</translation>
        </message>
        <message>
            <source>Act refused by client…</source>
            <translation>Клиент отказался от акта…</translation>
        </message>
        <message>
            <source>Save act as PDF…</source>
            <translation>Сохранить акт в PDF…</translation>
        </message>
        <message>
            <source>Save act as DOCX…</source>
            <translation>Сохранить акт в DOCX…</translation>
        </message>
        <message>
            <source>Confirm paid work</source>
            <translation>Подтвердить платную работу</translation>
        </message>
        <message>
            <source>Free work (clear paid)</source>
            <translation>Бесплатная работа (снять «платно»)</translation>
        </message>
        <message>
            <source>Save act as PDF</source>
            <translation>Сохранить акт в PDF</translation>
        </message>
        <message>
            <source>Save act as DOCX</source>
            <translation>Сохранить акт в DOCX</translation>
        </message>
        <message>
            <source>PDF document (*.pdf)</source>
            <translation>Документ PDF (*.pdf)</translation>
        </message>
        <message>
            <source>Word document (*.docx)</source>
            <translation>Документ Word (*.docx)</translation>
        </message>
        <message>
            <source>{0}: paid work confirmed</source>
            <translation>{0}: платная работа подтверждена</translation>
        </message>
        <message>
            <source>{0}: free work</source>
            <translation>{0}: работа бесплатная</translation>
        </message>
        <message>
            <source>Rework done: {0}</source>
            <translation>Доработка выполнена: {0}</translation>
        </message>
    </context>
    <context>
        <name>Countdown</name>
        <message>
            <location filename="../../ui/countdown.py" line="36" />
            <source>On time</source>
            <translation>В срок</translation>
        </message>
        <message>
            <location filename="../../ui/countdown.py" line="37" />
            <source>Breaching soon</source>
            <translation>Скоро просрочка</translation>
        </message>
        <message>
            <location filename="../../ui/countdown.py" line="38" />
            <source>Overdue</source>
            <translation>Просрочено</translation>
        </message>
        <message>
            <location filename="../../ui/countdown.py" line="39" />
            <source>Paused</source>
            <translation>Пауза</translation>
        </message>
        <message>
            <location filename="../../ui/countdown.py" line="40" />
            <source>Met</source>
            <translation>Выполнено</translation>
        </message>
        <message>
            <location filename="../../ui/countdown.py" line="41" />
            <source>Met late</source>
            <translation>Выполнено с опозданием</translation>
        </message>
        <message>
            <location filename="../../ui/countdown.py" line="42" />
            <source>No deadline</source>
            <translation>Без срока</translation>
        </message>
    </context>
    <context>
        <name>Detail</name>
    <message>
        <source>{0} is replying</source>
        <translation>{0} пишет ответ</translation>
    </message>
    <message>
        <source>{0} are replying</source>
        <translation>{0} пишут ответ</translation>
    </message>
    <message>
        <source>Changed by {0} — &lt;a href="reload"&gt;reload&lt;/a&gt;</source>
        <translation>Изменено: {0} — &lt;a href="reload"&gt;обновить&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Imported closed from the mailbox's archive: the mail was there before the mailbox was connected (no acknowledgement, no deadlines)</source>
        <translation>Загружено закрытым из архива ящика: письмо лежало там до подключения ящика (без подтверждения и без сроков)</translation>
    </message>
    <message>
        <source>From the mailbox's archive: no SLA deadline</source>
        <translation>Из архива ящика: сроков SLA нет</translation>
    </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="84" />
            <source>Client not identified</source>
            <translation>Клиент не определён</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="85" />
            <source>Empty subject</source>
            <translation>Пустая тема</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="86" />
            <source>Several questions</source>
            <translation>Несколько вопросов</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="87" />
            <source>Possible duplicate</source>
            <translation>Возможный дубликат</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="88" />
            <source>Confirm the thread</source>
            <translation>Подтвердите привязку</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="89" />
            <source>Paid work?</source>
            <translation>Платная работа?</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="90" />
            <source>Needs written confirmation</source>
            <translation>Нужно письменное подтверждение</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="91" />
            <source>Act not answered</source>
            <translation>Нет ответа по акту</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="92" />
            <source>Remind to change password</source>
            <translation>Напомнить сменить пароль</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="98" />
            <source>Reaction</source>
            <translation>Реакция</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="99" />
            <source>Resolution</source>
            <translation>Решение</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="106" />
            <source>Status: {0} → {1}</source>
            <translation>Статус: {0} → {1}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="109" />
            <source>Ticket created</source>
            <translation>Обращение создано</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="111" />
            <source>Assignee: {0} → {1}</source>
            <translation>Исполнитель: {0} → {1}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="113" />
            <source>Mail to the client queued ({0})</source>
            <translation>Письмо клиенту в очереди ({0})</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="115" />
            <source>Internal note added</source>
            <translation>Добавлена внутренняя заметка</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="117" />
            <source>Paid: {0}</source>
            <translation>Платная: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="119" />
            <source>Work logged: {0} min</source>
            <translation>Учтена работа: {0} мин</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="122" />
            <source>Merged {0} into this ticket</source>
            <translation>{0} объединено с этим обращением</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="124" />
            <source>Split into {0}</source>
            <translation>Выделено в {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="126" />
            <source>Message from the client</source>
            <translation>Письмо клиента</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>No acknowledgement sent: {0}</source>
            <translation>Подтверждение не отправлено: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>Follow-up of {0}</source>
            <translation>Продолжение обращения {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the mail is an automatic reply</source>
            <translation>письмо — автоответ</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the mail is bulk mail</source>
            <translation>письмо — массовая рассылка</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the mail came from a mailing list</source>
            <translation>письмо пришло из списка рассылки</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the sender asked for no automatic replies</source>
            <translation>отправитель просит не отвечать автоматически</translation>
        </message>
        <message>
            <location filename="../../ui/detail_side.py" line="0" />
            <source>The message was read with repairs: {0}</source>
            <translation>Письмо прочитано с исправлениями: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/detail_side.py" line="0" />
            <source>the mail is a newsletter (List-Unsubscribe)</source>
            <translation>письмо — рассылка (есть List-Unsubscribe)</translation>
        </message>
        <message>
            <location filename="../../ui/detail_side.py" line="0" />
            <source>the subject is that of an out-of-office reply</source>
            <translation>тема письма — как у автоответа об отсутствии</translation>
        </message>
        <message>
            <location filename="../../ui/detail_side.py" line="0" />
            <source>Automatic replies held back for this sender: {0} this hour (sent {1} of {2} allowed an hour)</source>
            <translation>Автоответов этому отправителю задержано: {0} за этот час (отправлено {1} из {2} разрешённых в час)</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the mail is looping</source>
            <translation>письмо ходит по кругу</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the mail is a delivery report</source>
            <translation>письмо — отчёт о доставке</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the mail has no sender</source>
            <translation>у письма нет отправителя</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the sender is a mail system</source>
            <translation>отправитель — почтовая система</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the sender is one of our own addresses</source>
            <translation>отправитель — один из наших адресов</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>this sender already got the hourly limit of automatic replies</source>
            <translation>этот отправитель уже получил предельное за час число автоответов</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the sender&apos;s address is not valid</source>
            <translation>адрес отправителя недействителен</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="0" />
            <source>the mail was in the mailbox long before it was connected</source>
            <translation>письмо лежало в ящике задолго до его подключения</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="212" />
            <source>Choose a ticket in the queue</source>
            <translation>Выберите обращение в очереди</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="213" />
            <source>Client</source>
            <translation>Клиент</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="214" />
            <source>History</source>
            <translation>История</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="215" />
            <location filename="../../ui/ticket_detail.py" line="324" />
            <source>Notes</source>
            <translation>Заметки</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="216" />
            <location filename="../../ui/ticket_detail.py" line="225" />
            <source>Work</source>
            <translation>Работы</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="218" />
            <location filename="../../ui/ticket_detail.py" line="223" />
            <source>When</source>
            <translation>Когда</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="219" />
            <location filename="../../ui/ticket_detail.py" line="224" />
            <source>Who</source>
            <translation>Кто</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="220" />
            <source>What</source>
            <translation>Что</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="226" />
            <source>Minutes</source>
            <translation>Минуты</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="268" />
            <source>(no subject)</source>
            <translation>(без темы)</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="275" />
            <source>Plan: {0}</source>
            <translation>Тариф: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="276" />
            <source>Priority: {0}</source>
            <translation>Приоритет: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="277" />
            <source>Assignee: {0}</source>
            <translation>Исполнитель: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="278" />
            <source>From: {0}</source>
            <translation>От: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="280" />
            <source>Received: {0}</source>
            <translation>Получено: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="284" />
            <source>Paid</source>
            <translation>Платное</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="299" />
            <source>why this deadline?</source>
            <translation>почему такой срок?</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="300" />
            <source>due {0}</source>
            <translation>срок {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="307" />
            <source>No SLA deadline on this plan</source>
            <translation>У этого тарифа нет срока SLA</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="323" />
            <source>Notes ({0})</source>
            <translation>Заметки ({0})</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="349" />
            <source>Save attachment</source>
            <translation>Сохранить вложение</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="369" />
            <source>low</source>
            <translation>низкий</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="370" />
            <source>normal</source>
            <translation>обычный</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="371" />
            <source>high</source>
            <translation>высокий</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="372" />
            <source>urgent</source>
            <translation>срочный</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="379" />
            <source>The sender is not a known client.</source>
            <translation>Отправитель не найден среди клиентов.</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="380" />
            <source>Identify the client before working on the ticket, or refuse it with the reason “client not identified”.</source>
            <translation>Определите клиента, прежде чем работать с обращением, или откажите с причиной «клиент не идентифицирован».</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="385" />
            <source>active</source>
            <translation>действует</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="387" />
            <source>expired</source>
            <translation>истёк</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="390" />
            <source>Plan</source>
            <translation>Тариф</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="391" />
            <source>priority support</source>
            <translation>приоритетная поддержка</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="392" />
            <source>Contract</source>
            <translation>Договор</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="394" />
            <source>Service</source>
            <translation>Обслуживание</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="395" />
            <source>until {0}</source>
            <translation>до {0}</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="397" />
            <source>Open tickets</source>
            <translation>Открытые обращения</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="398" />
            <source>INN</source>
            <translation>ИНН</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="399" />
            <source>Address</source>
            <translation>Адрес</translation>
        </message>
        <message>
            <location filename="../../ui/ticket_detail.py" line="400" />
            <source>Mail from</source>
            <translation>Почта с</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Открыть</translation>
        </message>
        <message>
            <source>Save as…</source>
            <translation>Сохранить как…</translation>
        </message>
        <message>
            <source>Double-click an attachment to open it</source>
            <translation>Дважды щёлкните вложение, чтобы открыть его</translation>
        </message>
        <message>
            <source>“{0}” could run as a program, so Reglament does not open it. Save it and check it before opening it yourself.</source>
            <translation>«{0}» может запуститься как программа, поэтому «Регламент» его не открывает. Сохраните файл и проверьте его, прежде чем открывать самостоятельно.</translation>
        </message>
        <message>
            <source>No application is set up on this computer to open “{0}”. Save it and open it with a program of your choice.</source>
            <translation>На этом компьютере не настроена программа для открытия «{0}». Сохраните файл и откройте его подходящей программой.</translation>
        </message>
        <message>
            <source>Attachment</source>
            <translation>Вложение</translation>
        </message>
        <message>
            <source>No longer in this view: it stays here until you choose another ticket</source>
            <translation>Этого обращения больше нет в текущем списке: оно остаётся здесь, пока вы не выберете другое</translation>
        </message>
        <message>
            <source>Marked as paid work</source>
            <translation>Отмечено платным</translation>
        </message>
        <message>
            <source>Marked as free work</source>
            <translation>Отмечено бесплатным</translation>
        </message>
        <message>
            <source>Marked: {0}</source>
            <translation>Отмечено: {0}</translation>
        </message>
        <message>
            <source>Mark cleared: {0}</source>
            <translation>Отметка снята: {0}</translation>
        </message>
        <message>
            <source>{0}: {1} → {2}</source>
            <translation>{0}: {1} → {2}</translation>
        </message>
        <message>
            <source>Split out of {0}</source>
            <translation>Выделено из {0}</translation>
        </message>
        <message>
            <source>A message moved to {0}</source>
            <translation>Сообщение перенесено в {0}</translation>
        </message>
        <message>
            <source>A message moved here from {0}</source>
            <translation>Сообщение перенесено сюда из {0}</translation>
        </message>
        <message>
            <source>Reminder sent to the client: the ticket closes if they do not answer</source>
            <translation>Клиенту отправлено напоминание: без ответа обращение будет закрыто</translation>
        </message>
        <message>
            <source>Act {0} issued</source>
            <translation>Акт {0} выставлен</translation>
        </message>
        <message>
            <source>Act {0} sent to the client for acceptance</source>
            <translation>Акт {0} отправлен клиенту на подписание</translation>
        </message>
        <message>
            <source>Act {0} accepted by the client</source>
            <translation>Акт {0} подписан клиентом</translation>
        </message>
        <message>
            <source>Act {0} deemed accepted: no motivated refusal in time</source>
            <translation>Акт {0} считается принятым: мотивированного отказа в срок не поступило</translation>
        </message>
        <message>
            <source>Act {0}: the time for its acceptance has run out</source>
            <translation>Акт {0}: срок приёмки истёк</translation>
        </message>
        <message>
            <source>Act {0} refused with reasons; bilateral act {1} made</source>
            <translation>По акту {0} получен мотивированный отказ; составлен двусторонний акт {1}</translation>
        </message>
        <message>
            <source>Rework done: {0}</source>
            <translation>Доработка выполнена: {0}</translation>
        </message>
        <message>
            <source>Changed</source>
            <translation>Изменено</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Приоритет</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Категория</translation>
        </message>
        <message>
            <source>Department</source>
            <translation>Отдел</translation>
        </message>
        <message>
            <source>Requester</source>
            <translation>Заявитель</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>Тема</translation>
        </message>
        <message>
            <source>Assignee</source>
            <translation>Исполнитель</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>да</translation>
        </message>
        <message>
            <source>no</source>
            <translation>нет</translation>
        </message>
        <message>
            <source>Contact logged: answered by {0} at {1}</source>
            <translation>Контакт записан: ответил(а) {0} в {1}</translation>
        </message>
        <message>
            <source>Identify the client (Ticket ▸ Edit ticket…, Ctrl+Shift+E) before working on the ticket, or refuse it with the reason “client not identified”.</source>
            <translation>Определите клиента (Обращение ▸ Изменить обращение…, Ctrl+Shift+E), прежде чем работать с обращением, или откажите с причиной «клиент не идентифицирован».</translation>
        </message>
        <message>
            <source>Suggested as paid work: {0}</source>
            <translation>Предложено как платная работа: {0}</translation>
        </message>
        <message>
            <source>Paid work confirmed</source>
            <translation>Платная работа подтверждена</translation>
        </message>
        <message>
            <source>Paid-work suggestion cleared: free work</source>
            <translation>Предложение о платной работе снято: работа бесплатная</translation>
        </message>
        <message>
            <source>Possible duplicate of {0}</source>
            <translation>Возможный дубликат {0}</translation>
        </message>
        <message>
            <source>Merged into {0} as its duplicate</source>
            <translation>Объединено с {0} как его дубликат</translation>
        </message>
        <message>
            <source>Thread confirmed: the message from {0} belongs here</source>
            <translation>Привязка подтверждена: письмо от {0} относится к этому обращению</translation>
        </message>
        <message>
            <source>The message from {0} moved to {1}</source>
            <translation>Письмо от {0} перенесено в {1}</translation>
        </message>
        <message>
            <source>The message from {0} moved here from {1}</source>
            <translation>Письмо от {0} перенесено сюда из {1}</translation>
        </message>
    </context>
    <context>
        <name>Errors</name>
        <message>
            <location filename="../../ui/errors.py" line="33" />
            <source>the log file</source>
            <extracomment>While True (tests), message boxes are not shown; the last message is kept for inspection.</extracomment>
            <translation>журнал</translation>
        </message>
        <message>
            <location filename="../../ui/errors.py" line="34" />
            <source>Something went wrong ({0}). The details were written to {1}.</source>
            <translation>Что-то пошло не так ({0}). Подробности записаны в {1}.</translation>
        </message>
        <message>
            <location filename="../../ui/errors.py" line="48" />
            <source>Changed meanwhile</source>
            <translation>Изменено другим</translation>
        </message>
        <message>
            <location filename="../../ui/errors.py" line="50" />
            <source>Reglament</source>
            <translation>Регламент</translation>
        </message>
        <message>
            <location filename="../../ui/crash.py" line="36" />
            <source>Report: {0}</source>
            <translation>Отчёт: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/crash.py" line="37" />
            <source>Open folder</source>
            <translation>Открыть папку</translation>
        </message>
        <message>
            <location filename="../../ui/crash.py" line="66" />
            <source>Reglament closed unexpectedly the last time it ran. If it happens again, please send the report to whoever supports your workstation.</source>
            <translation>В прошлый раз Регламент неожиданно закрылся. Если это повторится, отправьте отчёт тому, кто сопровождает ваше рабочее место.</translation>
        </message>
    </context>
    <context>
        <name>Explain</name>
        <message>
            <location filename="../../ui/dialogs/explain.py" line="14" />
            <source>Why this deadline — {0}</source>
            <translation>Почему такой срок — {0}</translation>
        </message>
    </context>
    <context>
        <name>Filters</name>
        <message>
            <location filename="../../ui/filter_bar.py" line="77" />
            <source>Search tickets and mail ({0})</source>
            <translation>Поиск по обращениям и письмам ({0})</translation>
        </message>
        <message>
            <location filename="../../ui/filter_bar.py" line="83" />
            <source>Any status</source>
            <translation>Любой статус</translation>
        </message>
        <message>
            <location filename="../../ui/filter_bar.py" line="86" />
            <source>Any department</source>
            <translation>Любой отдел</translation>
        </message>
        <message>
            <location filename="../../ui/filter_bar.py" line="88" />
            <source>Anyone</source>
            <translation>Любой исполнитель</translation>
        </message>
        <message>
            <location filename="../../ui/filter_bar.py" line="89" />
            <source>Nobody</source>
            <translation>Никто</translation>
        </message>
        <message>
            <location filename="../../ui/filter_bar.py" line="91" />
            <source>Any plan</source>
            <translation>Любой тариф</translation>
        </message>
        <message>
            <location filename="../../ui/filter_bar.py" line="93" />
            <source>Any SLA state</source>
            <translation>Любое состояние SLA</translation>
        </message>
    </context>
    <context>
        <name>Form</name>
        <message>
            <location filename="../../ui/dialogs/form.py" line="46" />
            <source>OK</source>
            <translation>ОК</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Отмена</translation>
        </message>
    </context>
    <context>
        <name>Main</name>
    <message>
        <source>Live updates paused: waiting for the database</source>
        <translation>Обновления на лету приостановлены: ждём базу данных</translation>
    </message>
        <message>
            <location filename="../../ui/main_window.py" line="269" />
            <source>Reglament — {0}</source>
            <translation>Регламент — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="270" />
            <source>&amp;File</source>
            <translation>&amp;Файл</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="271" />
            <source>Mail accounts…</source>
            <translation>Почтовые ящики…</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="272" />
            <source>Check mail now</source>
            <translation>Проверить почту</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="273" />
            <source>Quit</source>
            <translation>Выход</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="274" />
            <source>&amp;View</source>
            <translation>&amp;Вид</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="275" />
            <source>Refresh</source>
            <translation>Обновить</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="276" />
            <source>Search</source>
            <translation>Поиск</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="281" />
            <source>Language</source>
            <translation>Язык</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="282" />
            <source>As the system</source>
            <translation>Как в системе</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="285" />
            <source>&amp;Ticket</source>
            <translation>&amp;Обращение</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="286" />
            <source>&amp;Help</source>
            <translation>&amp;Справка</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="287" />
            <location filename="../../ui/main_window.py" line="495" />
            <source>About Reglament</source>
            <translation>О программе</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/main_window.py" line="386" />
            <source>%n ticket(s)</source>
            <translation>
                <numerusform>%n обращение</numerusform>
                <numerusform>%n обращения</numerusform>
                <numerusform>%n обращений</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="475" />
            <source>{0} created</source>
            <translation>Создано {0}</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="496" />
            <source>&lt;b&gt;Reglament {0}&lt;/b&gt;&lt;br&gt;The support agent's workstation: tickets from mail, SLA deadlines in business hours, acceptance acts.</source>
            <translation>&lt;b&gt;Регламент {0}&lt;/b&gt;&lt;br&gt;Рабочее место сотрудника поддержки: обращения из почты, сроки SLA в рабочих часах, акты сдачи-приёмки.</translation>
        </message>
        <message>
            <location filename="../../ui/about.py" line="63" />
            <source>Data folder:</source>
            <translation>Папка данных:</translation>
        </message>
        <message>
            <location filename="../../ui/about.py" line="65" />
            <source>Log folder:</source>
            <translation>Папка журналов:</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Загрузка…</translation>
        </message>
        <message>
            <source>Opening the workspace…</source>
            <translation>Открываю рабочее место…</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" line="590" />
            <source>{0} — the window tries again every minute.</source>
            <translation>{0} — окно пробует снова каждую минуту.</translation>
        </message>
        <message>
            <source>Import the production calendar or confirm the year in Settings → Calendars.</source>
            <translation>Импортируйте производственный календарь или подтвердите год в Настройках → Календари.</translation>
        </message>
        <message>
            <source>Production calendar {0} not confirmed: deadlines in {0} may move</source>
            <translation>Производственный календарь {0} не подтверждён: сроки в {0} году могут сдвинуться</translation>
        </message>
        <message>
            <source>Outbox…</source>
            <translation>Исходящие…</translation>
        </message>
        <message>
            <source>Reglament {0}
The support agent's workstation: tickets from mail, SLA deadlines in business hours, acceptance acts.</source>
            <translation>Регламент {0}
Рабочее место сотрудника поддержки: обращения из почты, сроки SLA в рабочих часах, акты сдачи-приёмки.</translation>
        </message>
    </context>
    <context>
        <name>Queue</name>
        <message>
            <location filename="../../ui/queue_model.py" line="45" />
            <source>Ticket</source>
            <extracomment>Column keys in display order; the key doubles as the SQL sort key.</extracomment>
            <translation>Обращение</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="46" />
            <source>Subject</source>
            <translation>Тема</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="47" />
            <source>Client</source>
            <translation>Клиент</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="48" />
            <source>Plan</source>
            <translation>Тариф</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="49" />
            <source>Status</source>
            <translation>Статус</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="50" />
            <source>Department</source>
            <translation>Отдел</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="51" />
            <source>Assignee</source>
            <translation>Исполнитель</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="52" />
            <source>Received</source>
            <translation>Получено</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="53" />
            <source>Time left</source>
            <translation>Осталось</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="193" />
            <source>Working time left until the running SLA deadline, and the share of the target's working time used</source>
            <translation>Рабочее время до текущего срока SLA и доля уже израсходованного времени по сроку</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="247" />
            <source>(no subject)</source>
            <translation>(без темы)</translation>
        </message>
        <message>
            <location filename="../../ui/queue_model.py" line="282" />
            <source>Deadline: {0}</source>
            <translation>Срок: {0}</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>Срок</translation>
        </message>
        <message>
            <source>When the running SLA deadline falls, in your time zone</source>
            <translation>Когда наступает текущий срок SLA, в вашем часовом поясе</translation>
        </message>
        <message>
            <source>Working time left until the running SLA deadline</source>
            <translation>Рабочее время до текущего срока SLA</translation>
        </message>
    </context>
    <context>
        <name>Reply</name>
        <message>
            <location filename="../../ui/compose.py" line="63" />
            <source>Reply — {0}</source>
            <translation>Ответ — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="69" />
            <source>Write your reply…</source>
            <translation>Напишите ответ…</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="73" />
            <source>To: {0}</source>
            <translation>Кому: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="75" />
            <source>Subject: Re: [{0}] {1}</source>
            <translation>Тема: Re: [{0}] {1}</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="81" />
            <source>Template:</source>
            <translation>Шаблон:</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="86" />
            <source>Insert</source>
            <translation>Вставить</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="90" />
            <source>Placeholder</source>
            <translation>Подстановка</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="108" />
            <source>Attach file…</source>
            <translation>Вложить файл…</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="110" />
            <source>Remove</source>
            <translation>Убрать</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="122" />
            <source>Discard draft</source>
            <translation>Удалить черновик</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="125" />
            <source>Close (keep draft)</source>
            <translation>Закрыть (сохранить черновик)</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="128" />
            <source>Send</source>
            <translation>Отправить</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="167" />
            <source>Draft restored</source>
            <translation>Черновик восстановлен</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="183" />
            <source>Draft saved at {0}</source>
            <translation>Черновик сохранён в {0}</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="213" />
            <source>Attach files</source>
            <translation>Вложить файлы</translation>
        </message>
        <message>
            <location filename="../../ui/compose.py" line="259" />
            <source>Not sent: the ticket has a new message. Read it, then press Send again.</source>
            <translation>Не отправлено: в обращении новое сообщение. Прочитайте его и нажмите «Отправить» ещё раз.</translation>
        </message>
    </context>
    <context>
        <name>Sync</name>
        <message>
            <location filename="../../ui/sync.py" line="0" />
            <source>Mail: receiving…</source>
            <translation>Почта: получение…</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="0" />
            <source>Mail: stopping after the current batch…</source>
            <translation>Почта: остановка после текущей порции…</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="0" />
            <source>Mail: paused; nothing is lost — Check mail now goes on</source>
            <translation>Почта: приостановлена, ничего не потеряно — «Проверить почту» продолжит</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="0" />
            <source>Mail: paused at {0} of {1}; nothing is lost — Check mail now goes on</source>
            <translation>Почта: приостановлена на {0} из {1}, ничего не потеряно — «Проверить почту» продолжит</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="84" />
            <source>Mail: connecting…</source>
            <translation>Почта: подключение…</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="0" />
            <source>Mail: checking…</source>
            <translation>Почта: проверка…</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="121" />
            <location filename="../../ui/sync.py" line="148" />
            <source>Mail: {0}</source>
            <translation>Почта: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="123" />
            <source>Mail: connected, checked at {0}</source>
            <translation>Почта: подключено, проверено в {0}</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="130" />
            <source>Mail: {0} — {1} of {2}</source>
            <translation>Почта: {0} — {1} из {2}</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="142" />
            <source>Mail sync is not available in this build</source>
            <translation>Синхронизация почты недоступна в этой сборке</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="146" />
            <source>Mail: no account set up</source>
            <translation>Почта: ящик не настроен</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="150" />
            <source>Mail: not syncing (demo)</source>
            <translation>Почта: не синхронизируется (демо)</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="152" />
            <source>Mail: last checked {0}</source>
            <translation>Почта: проверено {0}</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="155" />
            <source>Mail: not synced yet</source>
            <translation>Почта: ещё не проверялась</translation>
        </message>
        <message>
            <location filename="../../ui/sync.py" line="157" />
            <source>outbox: {0} waiting, {1} failed</source>
            <translation>исходящие: {0} ждут, {1} с ошибкой</translation>
        </message>
        <message>
            <source>outbox: {0} waiting, {1} backing off, {2} failed</source>
            <translation>исходящие: ждут {0}, пауза перед повтором {1}, не отправлено {2}</translation>
        </message>
    </context>
    <context>
        <name>Thread</name>
        <message>
            <location filename="../../ui/thread_html.py" line="0" />
            <source>seen again {0}×</source>
            <translation>получено повторно: {0}×</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="35" />
            <source>opened the ticket</source>
            <translation>создало обращение</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="36" />
            <source>joined by the ticket number in the subject</source>
            <translation>привязано по номеру в теме</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="37" />
            <source>ticket number from an unknown sender — confirm the thread</source>
            <translation>номер обращения от постороннего отправителя — подтвердите привязку</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="40" />
            <source>joined as a reply (In-Reply-To/References)</source>
            <translation>привязано как ответ (In-Reply-To/References)</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="41" />
            <source>sent by support</source>
            <translation>отправлено поддержкой</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="42" />
            <source>added by hand</source>
            <translation>добавлено вручную</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="43" />
            <source>moved here by a split</source>
            <translation>перенесено при разделении</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="44" />
            <source>moved here from another ticket</source>
            <translation>перенесено из другого обращения</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="51" />
            <source>from the client</source>
            <translation>от клиента</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="52" />
            <source>reply</source>
            <translation>ответ</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="53" />
            <source>internal note — the client does not see it</source>
            <translation>внутренняя заметка — клиент её не видит</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="59" />
            <source>{0} B</source>
            <translation>{0} Б</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="61" />
            <source>{0} KB</source>
            <translation>{0} КБ</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="62" />
            <source>{0} MB</source>
            <translation>{0} МБ</translation>
        </message>
        <message>
            <location filename="../../ui/thread_html.py" line="88" />
            <source>No messages yet.</source>
            <translation>Сообщений пока нет.</translation>
        </message>
        <message>
            <source>internal note</source>
            <translation>внутренняя заметка</translation>
        </message>
        <message>
            <source>Cc:</source>
            <translation>Копия:</translation>
        </message>
        <message>
            <source>Bcc:</source>
            <translation>Скрытая копия:</translation>
        </message>
        <message>
            <source>joined by the ticket number in the subject, confirmed by support</source>
            <translation>добавлено по номеру обращения в теме, подтверждено поддержкой</translation>
        </message>
        <message>
            <source>moved here by merging a duplicate</source>
            <translation>перенесено сюда при объединении дубликата</translation>
        </message>
        <message>
            <source>Message actions…</source>
            <translation>Действия с письмом…</translation>
        </message>
    </context>
    <context>
        <name>Tray</name>
        <message>
            <location filename="../../ui/tray.py" line="38" />
            <source>Deadline approaching</source>
            <translation>Приближается срок</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/tray.py" line="39" />
            <source>%n ticket(s) about to breach the SLA: {0}</source>
            <translation>
                <numerusform>%n обращение скоро нарушит SLA: {0}</numerusform>
                <numerusform>%n обращения скоро нарушат SLA: {0}</numerusform>
                <numerusform>%n обращений скоро нарушат SLA: {0}</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/tray.py" line="44" />
            <source>New tickets</source>
            <translation>Новые обращения</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/tray.py" line="45" />
            <source>%n new ticket(s): {0}</source>
            <translation>
                <numerusform>%n новое обращение: {0}</numerusform>
                <numerusform>%n новых обращения: {0}</numerusform>
                <numerusform>%n новых обращений: {0}</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Views</name>
        <message>
            <location filename="../../ui/views_panel.py" line="33" />
            <source>My tickets</source>
            <translation>Мои обращения</translation>
        </message>
        <message>
            <location filename="../../ui/views_panel.py" line="34" />
            <source>Unassigned</source>
            <translation>Без исполнителя</translation>
        </message>
        <message>
            <location filename="../../ui/views_panel.py" line="35" />
            <source>Waiting for client</source>
            <translation>Ждут клиента</translation>
        </message>
        <message>
            <location filename="../../ui/views_panel.py" line="36" />
            <source>Breaching soon</source>
            <translation>Скоро просрочка</translation>
        </message>
        <message>
            <location filename="../../ui/views_panel.py" line="37" />
            <source>Awaiting acceptance</source>
            <translation>Ждут приёмки</translation>
        </message>
        <message>
            <location filename="../../ui/views_panel.py" line="38" />
            <source>All tickets</source>
            <translation>Все обращения</translation>
        </message>
        <message>
            <source>Saved views</source>
            <translation>Сохранённые</translation>
        </message>
        <message>
            <source>+ Save filter as view…</source>
            <translation>+ Сохранить фильтр…</translation>
        </message>
        <message>
            <source>Rework due</source>
            <translation>Доработки к сроку</translation>
        </message>
    </context>
    <context>
        <name>Dashboard</name>
        <message>
            <location filename="../../ui/dashboard/window.py" line="0" />
            <source>Building the dashboard</source>
            <translation>Сборка панели руководителя</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/window.py" line="0" />
            <source>Reassigning tickets</source>
            <translation>Переназначение обращений</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/window.py" line="0" />
            <source>(cancelled; the other {0} are as they were)</source>
            <translation>(отменено; остальные {0} не изменены)</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="116" />
            <source>Unassigned</source>
            <translation>Не назначено</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="126" />
            <source>No reason given</source>
            <translation>Причина не указана</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="130" />
            <source>Reaction</source>
            <translation>Реакция</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="130" />
            <source>Resolution</source>
            <translation>Решение</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="134" />
            <source>overdue by {0}</source>
            <translation>просрочено на {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="172" />
            <source>TID</source>
            <translation>TID</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="172" />
            <source>Subject</source>
            <translation>Тема</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="172" />
            <source>Assignee</source>
            <translation>Исполнитель</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="172" />
            <source>Plan</source>
            <translation>Тариф</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="173" />
            <source>Target</source>
            <translation>Срок</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="173" />
            <source>Deadline</source>
            <translation>Крайний срок</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="173" />
            <source>Remaining</source>
            <translation>Осталось</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="233" />
            <source>Act</source>
            <translation>Акт</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="233" />
            <source>Sent</source>
            <translation>Отправлен</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="233" />
            <source>Expires</source>
            <translation>Истекает</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="281" />
            <source>Tickets</source>
            <translation>Обращения</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="527" />
            <source>Dashboard</source>
            <translation>Панель руководителя</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="529" />
            <source>Last {0} days</source>
            <translation>Последние {0} дн.</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="530" />
            <source>Custom dates</source>
            <translation>Свои даты</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="531" />
            <source>Period:</source>
            <translation>Период:</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="532" />
            <source>from</source>
            <translation>с</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="533" />
            <source>to</source>
            <translation>по</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="534" />
            <source>Forecast for the next</source>
            <translation>Прогноз на</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="535" />
            <source> business hours</source>
            <translation> рабочих ч</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="536" />
            <source>Refresh</source>
            <translation>Обновить</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="537" />
            <source>Export CSV…</source>
            <translation>Выгрузить CSV…</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="538" />
            <source>Reassign to…</source>
            <translation>Переназначить…</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="540" />
            <source>Open backlog</source>
            <translation>Открытых обращений</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="540" />
            <source>Breached now</source>
            <translation>Просрочено сейчас</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="540" />
            <source>In warning</source>
            <translation>В зоне риска</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="541" />
            <source>Will breach within {0} business h</source>
            <translation>Просрочатся в ближайшие {0} рабочих ч</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="542" />
            <source>First reaction, median</source>
            <translation>Первая реакция, медиана</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="542" />
            <source>First reaction, 90th percentile</source>
            <translation>Первая реакция, 90-й процентиль</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="543" />
            <source>SLA compliance</source>
            <translation>Соблюдение SLA</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="543" />
            <source>Acts awaiting acceptance</source>
            <translation>Акты ждут подписания</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="544" />
            <source>Auto-closed as inactive</source>
            <translation>Закрыто без ответа клиента</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="556" />
            <source>Breached ({0})</source>
            <translation>Просрочено ({0})</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="556" />
            <source>At risk ({0})</source>
            <translation>В зоне риска ({0})</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="557" />
            <source>Will breach ({0})</source>
            <translation>Просрочатся ({0})</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="560" />
            <source>Acts awaiting acceptance ({0})</source>
            <translation>Акты на подписании ({0})</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="657" />
            <source>Backlog by status</source>
            <translation>Открытые по статусам</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="657" />
            <source>Backlog by department</source>
            <translation>Открытые по отделам</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="658" />
            <source>Backlog by agent</source>
            <translation>Открытые по исполнителям</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="659" />
            <source>Incoming per day, {0} – {1}: {2}</source>
            <translation>Поступило по дням, {0} – {1}: {2}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="660" />
            <source>Refusals by reason: {0}</source>
            <translation>Отказы по причинам: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="668" />
            <source>Updated {0} · reaction times from {1} replies, compliance over {2} deadlines</source>
            <translation>Обновлено {0} · время реакции по {1} ответам, соблюдение по {2} срокам</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="727" />
            <source>Selected tickets: {0}</source>
            <translation>Выбрано обращений: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="728" />
            <source>Select tickets in the list first</source>
            <translation>Сначала выберите обращения в списке</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="739" />
            <source>Reassign — {0}</source>
            <translation>Переназначить — {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="740" />
            <source>Reassign</source>
            <translation>Переназначить</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="741" />
            <source>Nobody</source>
            <translation>Никому</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="744" />
            <source>Agent:</source>
            <translation>Исполнитель:</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="760" />
            <source>Reassigned: {0}</source>
            <translation>Переназначено: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="772" />
            <source>Export the dashboard to a folder</source>
            <translation>Выгрузить панель в папку</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="787" />
            <source>Exported {0} files to {1}</source>
            <translation>Выгружено файлов: {0}, папка {1}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard.py" line="798" />
            <source>under a minute</source>
            <translation>меньше минуты</translation>
        </message>
        <message>
            <source>Deadline warnings in the period: {0} to assignees, {1} to team leads ({2} in the tray, {3} by mail) about {4} tickets; sent only in working hours</source>
            <translation>Предупреждения о сроках за период: исполнителям — {0}, руководителям — {1} (в трее — {2}, письмом — {3}), по обращениям — {4}; отправляются только в рабочие часы</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} tickets measured · {1}</source>
            <translation>измерено обращений: {0} · {1}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} met, {1} missed · {2}</source>
            <translation>выполнено: {0}, нарушено: {1} · {2}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} of working time · {1} by the clock</source>
            <translation>{0} рабочего времени · {1} по часам</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} waiting for the client taken out ({1} tickets)</source>
            <translation>{0} ожидания клиента не учтено (обращений: {1})</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} archived mail</source>
            <translation>архивных писем: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} merged duplicates</source>
            <translation>объединённых дубликатов: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} not answered yet</source>
            <translation>ещё без ответа: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} received before the period</source>
            <translation>поступивших до периода: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} without a reaction target</source>
            <translation>без норматива реакции: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} waiting for the client</source>
            <translation>ожидают клиента: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} not due yet</source>
            <translation>срок ещё не наступил: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} changed plan or priority</source>
            <translation>сменили тариф или приоритет: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>Nothing left out</source>
            <translation>Учтено всё</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>Not counted: {0}</source>
            <translation>Не учтено: {0}</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>Archived mail was imported from the mailbox's archive: no clock ran for it.</source>
            <translation>Архивные письма загружены из архива ящика: часы SLA для них не шли.</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>A merged duplicate's reaction counts once, on the ticket it joined.</source>
            <translation>Реакция на объединённый дубликат учитывается один раз — в обращении, с которым его объединили.</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>A ticket not answered yet has no reaction time to measure.</source>
            <translation>У обращения без ответа ещё нет времени реакции.</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>A ticket counts in the period it arrived, not in the one it was answered in.</source>
            <translation>Обращение учитывается в том периоде, когда оно поступило, а не когда на него ответили.</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>Time spent waiting for the client is not counted: the deadline moved by as much.</source>
            <translation>Время ожидания клиента не учитывается: срок сдвинулся на столько же.</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>Without a plan, or on a plan without a reaction target, there is no deadline to meet.</source>
            <translation>Без тарифа или на тарифе без норматива реакции соблюдать нечего: срока нет.</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>Waiting for the client before any reaction: the deadline is not known yet.</source>
            <translation>Ожидает клиента до первой реакции: срок ещё неизвестен.</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>Not answered yet and the deadline is still ahead: neither met nor missed.</source>
            <translation>Ответа ещё нет, но и срок не наступил: ни выполнено, ни нарушено.</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>Judged by the deadline in force when answered: a later change of plan does not rewrite it.</source>
            <translation>Оценивается по сроку, действовавшему в момент ответа: смена тарифа позже его не переписывает.</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>Remaining (working time · by the clock)</source>
            <translation>Осталось (рабочее время · по часам)</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} of working time (as the SLA counts it) · {1} by the clock</source>
            <translation>{0} рабочего времени (как считает SLA) · {1} по часам</translation>
        </message>
        <message>
            <location filename="../../ui/dashboard/honesty.py" line="1" />
            <source>{0} · {1} by the clock</source>
            <translation>{0} · {1} по часам</translation>
        </message>
        <message>
            <source>Rework due: {0}, overdue: {1}</source>
            <translation>Доработок к сроку: {0}, просрочено: {1}</translation>
        </message>
        <message>
            <source>Rework due ({0})</source>
            <translation>Доработки ({0})</translation>
        </message>
        <message>
            <source>Rework</source>
            <translation>Доработка</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>Срок</translation>
        </message>
        <message>
            <source>acts sent, not answered: {0}</source>
            <translation>актов отправлено без ответа: {0}</translation>
        </message>
        <message>
            <source>Awaiting acceptance</source>
            <translation>Ждут приёмки</translation>
        </message>
    </context>
    <context>
        <name>Settings</name>
        <message>
            <source>Unsaved changes</source>
            <translation>Несохранённые изменения</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>Настройки</translation>
        </message>
        <message>
            <source>Support plans</source>
            <translation>Тарифы поддержки</translation>
        </message>
        <message>
            <source>Calendars</source>
            <translation>Календари</translation>
        </message>
        <message>
            <source>Clients</source>
            <translation>Клиенты</translation>
        </message>
        <message>
            <source>Templates</source>
            <translation>Шаблоны</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/settings.py" line="0" />
            <source>Regulation</source>
            <translation>Регламент</translation>
        </message>
        <message>
            <source>Support plans…</source>
            <translation>Тарифы поддержки…</translation>
        </message>
        <message>
            <source>Calendars…</source>
            <translation>Календари…</translation>
        </message>
        <message>
            <source>Clients…</source>
            <translation>Клиенты…</translation>
        </message>
        <message>
            <source>Reply templates…</source>
            <translation>Шаблоны ответов…</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/settings.py" line="0" />
            <source>Regulation…</source>
            <translation>Регламент…</translation>
        </message>
        <message>
            <source>Discard your unsaved changes to {0}?</source>
            <translation>Отменить несохранённые изменения в «{0}»?</translation>
        </message>
        <message>
            <source>Requisites</source>
            <translation>Реквизиты</translation>
        </message>
        <message>
            <source>Requisites and prices…</source>
            <translation>Реквизиты и цены…</translation>
        </message>
        <message>
            <source>Numbering</source>
            <translation>Нумерация</translation>
        </message>
        <message>
            <source>Ticket and act numbers…</source>
            <translation>Номера обращений и актов…</translation>
        </message>
        <message>
            <source>Departments</source>
            <translation>Отделы</translation>
        </message>
        <message>
            <source>Departments…</source>
            <translation>Отделы…</translation>
        </message>
        <message>
            <source>Reasons</source>
            <translation>Причины</translation>
        </message>
        <message>
            <source>Refusal and postponement reasons…</source>
            <translation>Причины отказа и отложения…</translation>
        </message>
        <message>
            <source>Workstation…</source>
            <translation>Рабочее место…</translation>
        </message>
        <message>
            <source>Workstation</source>
            <translation>Рабочее место</translation>
        </message>
    </context>
    <context>
        <name>Plans</name>
        <message>
            <source>Low</source>
            <translation>Низкий</translation>
        </message>
        <message>
            <source>Normal</source>
            <translation>Обычный</translation>
        </message>
        <message>
            <source>High</source>
            <translation>Высокий</translation>
        </message>
        <message>
            <source>Urgent</source>
            <translation>Срочный</translation>
        </message>
        <message>
            <source>Untick for no target</source>
            <translation>Снимите флажок, чтобы срока не было</translation>
        </message>
        <message>
            <source> h</source>
            <translation> ч</translation>
        </message>
        <message>
            <source> min</source>
            <translation> мин</translation>
        </message>
        <message>
            <source>Name (English):</source>
            <translation>Название (англ.):</translation>
        </message>
        <message>
            <source>Name (Russian):</source>
            <translation>Название (рус.):</translation>
        </message>
        <message>
            <source>Code:</source>
            <translation>Код:</translation>
        </message>
        <message>
            <source>Calendar:</source>
            <translation>Календарь:</translation>
        </message>
        <message>
            <source>Extended/priority support (its clients go first in the queue)</source>
            <translation>Расширенная/приоритетная поддержка (её клиенты — первыми в очереди)</translation>
        </message>
        <message>
            <source>The countdown turns amber once this share of the target is used</source>
            <translation>Обратный отсчёт становится жёлтым, когда израсходована эта доля срока</translation>
        </message>
        <message>
            <source>Warn when used:</source>
            <translation>Предупреждать после:</translation>
        </message>
        <message>
            <source>Targets in working time of the plan's calendar</source>
            <translation>Сроки в рабочем времени календаря тарифа</translation>
        </message>
        <message>
            <source>Saving recomputes the deadlines of this plan's open tickets, as “reglament plan-set” does. A client's plan is chosen on the Clients tab.</source>
            <translation>При сохранении сроки открытых обращений по этому тарифу пересчитываются, как командой «reglament plan-set». Тариф клиента выбирается на вкладке «Клиенты».</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <source>Revert</source>
            <translation>Вернуть</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Приоритет</translation>
        </message>
        <message>
            <source>Reaction</source>
            <translation>Реакция</translation>
        </message>
        <message>
            <source>Resolution (optional)</source>
            <translation>Решение (необязательно)</translation>
        </message>
        <message>
            <source>Saved. Deadlines of {0} open tickets recomputed.</source>
            <translation>Сохранено. Пересчитаны сроки открытых обращений: {0}.</translation>
        </message>
        <message>
            <source>Not saved; no deadline moved. Your edits are still in the form.</source>
            <translation>Не сохранено; сроки не сдвинулись. Ваши изменения остались в форме.</translation>
        </message>
        <message>
            <source>Save the plan {0}: deadlines that move</source>
            <translation>Сохранение тарифа {0}: какие сроки сдвинутся</translation>
        </message>
    </context>
    <context>
        <name>Calendars</name>
        <message>
            <source>Monday</source>
            <translation>Понедельник</translation>
        </message>
        <message>
            <source>Tuesday</source>
            <translation>Вторник</translation>
        </message>
        <message>
            <source>Wednesday</source>
            <translation>Среда</translation>
        </message>
        <message>
            <source>Thursday</source>
            <translation>Четверг</translation>
        </message>
        <message>
            <source>Friday</source>
            <translation>Пятница</translation>
        </message>
        <message>
            <source>Saturday</source>
            <translation>Суббота</translation>
        </message>
        <message>
            <source>Sunday</source>
            <translation>Воскресенье</translation>
        </message>
        <message>
            <source>New calendar</source>
            <translation>Новый календарь</translation>
        </message>
        <message>
            <source>Code:</source>
            <translation>Код:</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Название:</translation>
        </message>
        <message>
            <source>Used by plans:</source>
            <translation>Тарифы:</translation>
        </message>
        <message>
            <source>Fill in</source>
            <translation>Заполнить</translation>
        </message>
        <message>
            <source>Preset:</source>
            <translation>Образец:</translation>
        </message>
        <message>
            <source>An IANA zone (Europe/Moscow) or a fixed offset (+06:00)</source>
            <translation>Пояс IANA (Europe/Moscow) или постоянное смещение (+06:00)</translation>
        </message>
        <message>
            <source>Time zone:</source>
            <translation>Часовой пояс:</translation>
        </message>
        <message>
            <source>Around the clock, every day (24/7)</source>
            <translation>Круглосуточно, без выходных (24/7)</translation>
        </message>
        <message>
            <source>as on Monday</source>
            <translation>как в понедельник</translation>
        </message>
        <message>
            <source>Extra working days:</source>
            <translation>Доп. рабочие дни:</translation>
        </message>
        <message>
            <source>Russian public holidays, with transferred days off and working Saturdays</source>
            <translation>Праздники РФ с переносами выходных и рабочими субботами</translation>
        </message>
        <message>
            <source>Hours as 09:00-18:00; several intervals with commas, e.g. 09:00-13:00, 14:00-18:00 for a lunch break. Saving recomputes the deadlines of open tickets on plans using this calendar.</source>
            <translation>Часы в виде 09:00-18:00; несколько интервалов — через запятую, например 09:00-13:00, 14:00-18:00 с обеденным перерывом. При сохранении сроки открытых обращений по тарифам с этим календарём пересчитываются.</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <source>Revert</source>
            <translation>Вернуть</translation>
        </message>
        <message>
            <source>Company exceptions (saved at once)</source>
            <translation>Исключения компании (сохраняются сразу)</translation>
        </message>
        <message>
            <source>Add day off</source>
            <translation>Добавить выходной</translation>
        </message>
        <message>
            <source>Add working day</source>
            <translation>Добавить рабочий день</translation>
        </message>
        <message>
            <source>Remove selected</source>
            <translation>Удалить выбранное</translation>
        </message>
        <message>
            <source>Built in from the “holidays” package; nothing to enter. Add only your company's own exceptions.</source>
            <translation>Встроены из пакета «holidays», вводить их не нужно. Добавляйте только собственные исключения компании.</translation>
        </message>
        <message>
            <source>none</source>
            <translation>нет</translation>
        </message>
        <message>
            <source>day off</source>
            <translation>выходной</translation>
        </message>
        <message>
            <source>extra working day</source>
            <translation>дополнительный рабочий день</translation>
        </message>
        <message>
            <source>Russian public holidays in {0}</source>
            <translation>Праздники РФ в {0} году</translation>
        </message>
        <message>
            <source>Saved. Deadlines of {0} open tickets recomputed.</source>
            <translation>Сохранено. Пересчитаны сроки открытых обращений: {0}.</translation>
        </message>
        <message>
            <source>Change the calendar {0}: deadlines that move</source>
            <translation>Изменение календаря {0}: какие сроки сдвинутся</translation>
        </message>
        <message>
            <source>Not saved; no deadline moved.</source>
            <translation>Не сохранено; сроки не сдвинулись.</translation>
        </message>
        <message>
            <source>Save the calendar {0}: deadlines that move</source>
            <translation>Сохранение календаря {0}: какие сроки сдвинутся</translation>
        </message>
    </context>
    <context>
        <name>Clients</name>
        <message>
            <source>Find a client by name, domain or address</source>
            <translation>Найти клиента по названию, домену или адресу</translation>
        </message>
        <message>
            <source>New client</source>
            <translation>Новый клиент</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Название:</translation>
        </message>
        <message>
            <source>Mail domains:</source>
            <translation>Почтовые домены:</translation>
        </message>
        <message>
            <source>Single addresses:</source>
            <translation>Отдельные адреса:</translation>
        </message>
        <message>
            <source>Plan:</source>
            <translation>Тариф:</translation>
        </message>
        <message>
            <source>Extended/priority support</source>
            <translation>Расширенная/приоритетная поддержка</translation>
        </message>
        <message>
            <source>Mail language:</source>
            <translation>Язык писем:</translation>
        </message>
        <message>
            <source>Notes:</source>
            <translation>Заметки:</translation>
        </message>
        <message>
            <source>Contract No.:</source>
            <translation>№ договора:</translation>
        </message>
        <message>
            <source>Contract date:</source>
            <translation>Дата договора:</translation>
        </message>
        <message>
            <source>Service from:</source>
            <translation>Обслуживание с:</translation>
        </message>
        <message>
            <source>Service until:</source>
            <translation>Обслуживание до:</translation>
        </message>
        <message>
            <source>10 or 12 digits</source>
            <translation>10 или 12 цифр</translation>
        </message>
        <message>
            <source>KPP, 9 characters</source>
            <translation>КПП, 9 знаков</translation>
        </message>
        <message>
            <source>INN / KPP:</source>
            <translation>ИНН / КПП:</translation>
        </message>
        <message>
            <source>Legal address:</source>
            <translation>Юридический адрес:</translation>
        </message>
        <message>
            <source>Signatory</source>
            <translation>Подписант</translation>
        </message>
        <message>
            <source>Position</source>
            <translation>Должность</translation>
        </message>
        <message>
            <source>Signs acts:</source>
            <translation>Подписывает акты:</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <source>Revert</source>
            <translation>Вернуть</translation>
        </message>
        <message>
            <source>— no plan —</source>
            <translation>— без тарифа —</translation>
        </message>
        <message>
            <source>Saved.</source>
            <translation>Сохранено.</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>Клиент</translation>
        </message>
        <message>
            <source>Plan</source>
            <translation>Тариф</translation>
        </message>
        <message>
            <source>Contract</source>
            <translation>Договор</translation>
        </message>
        <message>
            <source>Service until</source>
            <translation>Обслуживание до</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>Обслуживание</translation>
        </message>
        <message>
            <source>Domains and addresses</source>
            <translation>Домены и адреса</translation>
        </message>
        <message>
            <source>active</source>
            <translation>действует</translation>
        </message>
        <message>
            <source>expired</source>
            <translation>истекло</translation>
        </message>
        <message>
            <source>Remove client</source>
            <translation>Удалить клиента</translation>
        </message>
        <message>
            <source>Remove the client {0} and its addresses?</source>
            <translation>Удалить клиента {0} и его адреса?</translation>
        </message>
        <message>
            <source>Removed.</source>
            <translation>Удалено.</translation>
        </message>
        <message>
            <source>Move the client's open tickets to this plan too</source>
            <translation>Перевести на этот тариф и открытые обращения клиента</translation>
        </message>
        <message>
            <source>Otherwise open tickets keep the plan they were opened under; moving them recomputes their deadlines, shown before anything is saved.</source>
            <translation>Иначе открытые обращения остаются на тарифе, с которым были открыты; перевод пересчитывает их сроки — они будут показаны до сохранения.</translation>
        </message>
        <message>
            <source>Not saved; no deadline moved.</source>
            <translation>Не сохранено; сроки не сдвинулись.</translation>
        </message>
        <message>
            <source>Move {0} to another plan: deadlines that move</source>
            <translation>Перевод {0} на другой тариф: какие сроки сдвинутся</translation>
        </message>
    </context>
    <context>
        <name>Templates</name>
        <message>
            <source>New ticket acknowledged</source>
            <translation>Обращение зарегистрировано</translation>
        </message>
        <message>
            <source>Taken into work</source>
            <translation>Взято в работу</translation>
        </message>
        <message>
            <source>Reminder before auto-close</source>
            <translation>Напоминание перед автозакрытием</translation>
        </message>
        <message>
            <source>Closed as inactive</source>
            <translation>Закрыто за неактивностью</translation>
        </message>
        <message>
            <source>Work done</source>
            <translation>Работы выполнены</translation>
        </message>
        <message>
            <source>Ticket closed</source>
            <translation>Обращение закрыто</translation>
        </message>
        <message>
            <source>New template</source>
            <translation>Новый шаблон</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Копировать</translation>
        </message>
        <message>
            <source>A new reply template from this text</source>
            <translation>Новый шаблон ответа на основе этого текста</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Название:</translation>
        </message>
        <message>
            <source>Language:</source>
            <translation>Язык:</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Удалить</translation>
        </message>
        <message>
            <source>Revert</source>
            <translation>Вернуть</translation>
        </message>
        <message>
            <source>newest ticket</source>
            <translation>последнее обращение</translation>
        </message>
        <message>
            <source>Preview</source>
            <translation>Предпросмотр</translation>
        </message>
        <message>
            <source>Offered in the reply editor's template list once saved.</source>
            <translation>После сохранения появится в списке шаблонов редактора ответа.</translation>
        </message>
        <message>
            <source>Saved.</source>
            <translation>Сохранено.</translation>
        </message>
        <message>
            <source>Deleted.</source>
            <translation>Удалено.</translation>
        </message>
        <message>
            <source>Insert placeholder:</source>
            <translation>Вставить подстановку:</translation>
        </message>
        <message>
            <source>for</source>
            <translation>для</translation>
        </message>
        <message>
            <source>Reply templates</source>
            <translation>Шаблоны ответов</translation>
        </message>
        <message>
            <source>Refusal and postponement replies</source>
            <translation>Ответы при отказе и отложении</translation>
        </message>
        <message>
            <source>Automatic mails (read-only)</source>
            <translation>Автоматические письма (только просмотр)</translation>
        </message>
        <message>
            <source>Offered in the reply editor's template list.</source>
            <translation>Предлагается в списке шаблонов редактора ответа.</translation>
        </message>
        <message>
            <source>{0} (copy)</source>
            <translation>{0} (копия)</translation>
        </message>
        <message>
            <source>Preview with sample values</source>
            <translation>Предпросмотр с примерными значениями</translation>
        </message>
        <message>
            <source>Built into Reglament and always offered; use Copy to make an editable version.</source>
            <translation>Встроен в Регламент и предлагается всегда; чтобы изменить, сделайте копию кнопкой «Копировать».</translation>
        </message>
        <message>
            <source>built in</source>
            <translation>встроенный</translation>
        </message>
        <message>
            <source>Preview for {0}</source>
            <translation>Предпросмотр для {0}</translation>
        </message>
        <message>
            <source>Sent when a ticket is refused or postponed with this reason ({0}). Save an empty text to go back to the shipped one.</source>
            <translation>Отправляется, когда обращение отклонено или отложено по этой причине ({0}). Сохраните пустой текст, чтобы вернуть исходный.</translation>
        </message>
        <message>
            <source>Shipped file {0}. To reword it, copy the whole resources folder, edit mail/{1}/{2}.txt in the copy and start Reglament with the environment variable REGLAMENT_RESOURCES set to the copy's folder.</source>
            <translation>Файл поставки {0}. Чтобы изменить текст, скопируйте всю папку resources, отредактируйте в копии mail/{1}/{2}.txt и запускайте Регламент с переменной окружения REGLAMENT_RESOURCES, указывающей на папку копии.</translation>
        </message>
        <message>
            <source>Automatic mails</source>
            <translation>Автоматические письма</translation>
        </message>
        <message>
            <source>own wording</source>
            <translation>своя формулировка</translation>
        </message>
        <message>
            <source>Sent by Reglament on its own. The first line is the subject. Save an empty text to go back to the shipped wording ({0}).</source>
            <translation>Регламент отправляет это письмо сам. Первая строка — тема. Сохраните пустой текст, чтобы вернуть исходную формулировку ({0}).</translation>
        </message>
    </context>
    <context>
        <name>Regulation</name>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source> days</source>
            <translation> дн.</translation>
        </message>
        <message>
            <source> day</source>
            <translation> дн.</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>calendar days</source>
            <translation>календарные дни</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>business days</source>
            <translation>рабочие дни</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Close a ticket waiting for the client after</source>
            <translation>Закрывать обращение, ждущее клиента, через</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Counting</source>
            <translation>Считать</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Remind the client before closing</source>
            <translation>Напоминать клиенту до закрытия</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source> days before (0: no reminder)</source>
            <translation> дн. до закрытия (0 — не напоминать)</translation>
        </message>
        <message>
            <source> day before (0: no reminder)</source>
            <translation> дн. до закрытия (0 — не напоминать)</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>An acceptance act waits for an answer</source>
            <translation>Акт ждёт ответа клиента</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>When nobody answers the act</source>
            <translation>Если на акт не ответили</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>flag it to the agent to follow up</source>
            <translation>отметить для агента, чтобы напомнить</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>the work is deemed accepted</source>
            <translation>работы считаются принятыми</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>A reply reopens a closed ticket within</source>
            <translation>Ответ клиента открывает закрытое обращение в течение</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Automatic replies to one sender</source>
            <translation>Автоответов одному отправителю</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source> per hour at most</source>
            <translation> в час, не больше</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Mail already in a new mailbox opens tickets</source>
            <translation>Письма, уже лежавшие в новом ящике, открывают обращения</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Older mail is imported as the mailbox's archive: closed tickets, no acknowledgement, no deadlines.</source>
            <translation>Более ранние письма загружаются как архив ящика: закрытые обращения, без подтверждений и без сроков.</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source> hours back at most</source>
            <translation> ч назад, не больше</translation>
        </message>
        <message>
            <source> hour back at most</source>
            <translation> ч назад, не больше</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Language of mail to clients</source>
            <translation>Язык писем клиентам</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Russian</source>
            <translation>русский</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>English</source>
            <translation>английский</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>The timers apply these at their next run (every minute while mail syncs, or reglament run-timers); tickets already closed or acts already answered are not changed. Mail already in a new mailbox and older than that is imported as the mailbox's archive: closed tickets, no acknowledgement, no deadlines.</source>
            <translation>Таймеры применяют эти значения при следующем запуске (каждую минуту, пока идёт синхронизация почты, или reglament run-timers); уже закрытые обращения и акты с ответом не меняются. Письма, уже лежавшие в новом ящике и более старые, загружаются как архив ящика: закрытые обращения, без подтверждений и без сроков.</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Revert</source>
            <translation>Вернуть</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Saved.</source>
            <translation>Сохранено.</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/regulation.py" line="0" />
            <source>Nothing changed.</source>
            <translation>Ничего не изменилось.</translation>
        </message>
        <message>
            <source> % of the target</source>
            <translation> % срока</translation>
        </message>
        <message>
            <source> min without using the window</source>
            <translation> мин без работы в окне</translation>
        </message>
    </context>
    <context>
        <name>Startup</name>
        <message>
            <location filename="../../ui/app.py" line="195" />
            <source>The workstation cannot open.</source>
            <translation>Рабочее место не удаётся открыть.</translation>
        </message>
    </context>
    <context>
        <name>Help</name>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Сочетания клавиш</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Действие</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>Клавиши</translation>
        </message>
        <message>
            <source>Open log folder</source>
            <translation>Открыть папку журналов</translation>
        </message>
    </context>
    <context>
        <name>CalendarYears</name>
        <message>
            <source>Company days off and working days stay on top.</source>
            <translation>Дни отдыха и рабочие дни компании остаются в силе поверх календаря.</translation>
        </message>
        <message>
            <source>Confirm {0} as shown</source>
            <translation>Подтвердить {0} как есть</translation>
        </message>
        <message>
            <source>Confirmed years: {0}</source>
            <translation>Подтверждённые годы: {0}</translation>
        </message>
        <message>
            <source>Import from a file…</source>
            <translation>Импорт из файла…</translation>
        </message>
        <message>
            <source>Import the production calendar</source>
            <translation>Импорт производственного календаря</translation>
        </message>
        <message>
            <source>Import {0}: days and deadlines that change</source>
            <translation>Импорт {0}: какие дни и сроки изменятся</translation>
        </message>
        <message>
            <source>Imported. Deadlines of {0} open tickets recomputed.</source>
            <translation>Импортировано. Сроки {0} открытых обращений пересчитаны.</translation>
        </message>
        <message>
            <source>Not imported; nothing changed.</source>
            <translation>Не импортировано; ничего не изменилось.</translation>
        </message>
        <message>
            <source>Production calendar (*.xml *.json *.csv);;All files (*)</source>
            <translation>Производственный календарь (*.xml *.json *.csv);;Все файлы (*)</translation>
        </message>
        <message>
            <source>Production calendar {0}: {1} days change.</source>
            <translation>Производственный календарь {0}: меняется дней — {1}.</translation>
        </message>
        <message>
            <source>Production calendar</source>
            <translation>Производственный календарь</translation>
        </message>
        <message>
            <source>Shortened pre-holiday days (shown, not counted): {0}</source>
            <translation>Сокращённые предпраздничные дни (показаны, в расчёте не учитываются): {0}</translation>
        </message>
        <message>
            <source>The production calendar for {0} is not confirmed: only the statutory holidays are known, no transfers. Deadlines in {0} may be wrong — import the calendar or confirm the year.</source>
            <translation>Производственный календарь на {0} год не подтверждён: известны только праздники по закону, без переносов. Сроки в {0} году могут быть неверны — импортируйте календарь или подтвердите год.</translation>
        </message>
        <message>
            <source>confirmed by hand</source>
            <translation>подтверждён вручную</translation>
        </message>
        <message>
            <source>day off</source>
            <translation>выходной</translation>
        </message>
        <message>
            <source>holidays package</source>
            <translation>пакет holidays</translation>
        </message>
        <message>
            <source>imported</source>
            <translation>импортирован</translation>
        </message>
        <message>
            <source>weekend</source>
            <translation>выходной по графику</translation>
        </message>
        <message>
            <source>working day</source>
            <translation>рабочий день</translation>
        </message>
        <message>
            <source>{0} confirmed.</source>
            <translation>{0} подтверждён.</translation>
        </message>
    </context>
    <context>
        <name>Preview</name>
        <message>
            <source>No open ticket's deadline moves.</source>
            <translation>Сроки открытых обращений не сдвигаются.</translation>
        </message>
        <message>
            <source>After the change</source>
            <translation>После изменения</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>Применить</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Отмена</translation>
        </message>
        <message>
            <source>Deadline now</source>
            <translation>Срок сейчас</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Состояние</translation>
        </message>
        <message>
            <source>Target</source>
            <translation>Норматив</translation>
        </message>
        <message>
            <source>Ticket</source>
            <translation>Обращение</translation>
        </message>
        <message>
            <source>becomes breached</source>
            <translation>станет просроченным</translation>
        </message>
        <message>
            <source>no longer breached</source>
            <translation>перестанет быть просроченным</translation>
        </message>
        <message>
            <source>reaction</source>
            <translation>реакция</translation>
        </message>
        <message>
            <source>resolution</source>
            <translation>решение</translation>
        </message>
        <message>
            <source>{0} open tickets are recomputed; deadlines move on {1}. {2} become breached, {3} stop being breached.</source>
            <translation>Пересчитываются открытые обращения: {0}; сроки сдвигаются у {1}. Станут просроченными: {2}, перестанут: {3}.</translation>
        </message>
    </context>
    <context>
        <name>Outbox</name>
        <message>
            <source>waiting</source>
            <translation>ждёт</translation>
        </message>
        <message>
            <source>backing off</source>
            <translation>пауза перед повтором</translation>
        </message>
        <message>
            <source>sending</source>
            <translation>отправляется</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>не отправлено</translation>
        </message>
        <message>
            <source>{0} waiting, {1} backing off, {2} failed</source>
            <translation>ждут: {0}, пауза перед повтором: {1}, не отправлено: {2}</translation>
        </message>
        <message>
            <source>next try {0}</source>
            <translation>следующая попытка {0}</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Состояние</translation>
        </message>
        <message>
            <source>Ticket</source>
            <translation>Обращение</translation>
        </message>
        <message>
            <source>To</source>
            <translation>Кому</translation>
        </message>
        <message>
            <source>Tries</source>
            <translation>Попыток</translation>
        </message>
        <message>
            <source>Next try</source>
            <translation>Следующая попытка</translation>
        </message>
        <message>
            <source>Server said</source>
            <translation>Ответ сервера</translation>
        </message>
        <message>
            <source>Outbox</source>
            <translation>Исходящие</translation>
        </message>
        <message>
            <source>Send now</source>
            <translation>Отправить сейчас</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>Повторить</translation>
        </message>
        <message>
            <source>Drop…</source>
            <translation>Убрать…</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Закрыть</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>Отправка…</translation>
        </message>
        <message>
            <source>Another workstation is sending right now.</source>
            <translation>Сейчас отправляет другое рабочее место.</translation>
        </message>
        <message>
            <source>Sent: {0}. Failed: {1}.</source>
            <translation>Отправлено: {0}. Не отправлено: {1}.</translation>
        </message>
        <message>
            <source>Drop the message</source>
            <translation>Убрать письмо</translation>
        </message>
        <message>
            <source>Drop this message unsent? It stays in its ticket, marked as not sent.</source>
            <translation>Убрать это письмо, не отправляя? Оно останется в обращении с пометкой «не отправлено».</translation>
        </message>
    </context>
    <context>
        <name>EditTicket</name>
        <message>
            <source>Consultation</source>
            <translation>Консультация</translation>
        </message>
        <message>
            <source>Defect</source>
            <translation>Ошибка</translation>
        </message>
        <message>
            <source>Recovery</source>
            <translation>Восстановление</translation>
        </message>
        <message>
            <source>Content change</source>
            <translation>Изменение содержимого</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>Другое</translation>
        </message>
        <message>
            <source>Edit ticket — {0}</source>
            <translation>Изменение обращения — {0}</translation>
        </message>
        <message>
            <source>The plan, the paid-work suggestion and the deadlines follow the client and the priority.</source>
            <translation>Тариф, признак платной работы и сроки пересчитываются по клиенту и приоритету.</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <source>Priority:</source>
            <translation>Приоритет:</translation>
        </message>
        <message>
            <source>Category:</source>
            <translation>Категория:</translation>
        </message>
        <message>
            <source>Department:</source>
            <translation>Отдел:</translation>
        </message>
        <message>
            <source>Client:</source>
            <translation>Клиент:</translation>
        </message>
        <message>
            <source>Requester's e-mail:</source>
            <translation>Почта заявителя:</translation>
        </message>
        <message>
            <source>Remind the client to change their password after resolution</source>
            <translation>Напомнить клиенту сменить пароль после решения</translation>
        </message>
        <message>
            <source>(no client — not identified)</source>
            <translation>(без клиента — не определён)</translation>
        </message>
    </context>
    <context>
        <name>LogContact</name>
        <message>
            <source>The ticket opens in work, assigned to whoever answered, with the reaction met when they answered. Changes to accounts are accepted only in writing: tick the box if the client asked for one, and the ticket will say so.</source>
            <translation>Обращение открывается в работе у того, кто ответил, и реакция считается выполненной в момент ответа. Изменения учётных записей принимаются только письменно: отметьте, если клиент просил о таком, и обращение будет помечено.</translation>
        </message>
        <message>
            <source>Client:</source>
            <translation>Клиент:</translation>
        </message>
        <message>
            <source>Answered by:</source>
            <translation>Ответил(а):</translation>
        </message>
        <message>
            <source>Answered at:</source>
            <translation>Время ответа:</translation>
        </message>
        <message>
            <source>(find by the e-mail address below)</source>
            <translation>(определить по адресу почты ниже)</translation>
        </message>
    </context>
    <context>
        <name>Timers</name>
        <message>
            <source>Timers: {0} reminders sent, {1} closed as inactive, {2} acts past their acceptance time</source>
            <translation>Таймеры: напоминаний отправлено — {0}, закрыто без ответа — {1}, актов с истёкшим сроком приёмки — {2}</translation>
        </message>
    </context>
    <context>
        <name>FirstRun</name>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>Welcome to Reglament</source>
            <translation>Добро пожаловать в Reglament</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>Tickets come from your support mailbox: every client's letter becomes a ticket, with its deadlines counted in the working hours of the client's plan.</source>
            <translation>Обращения приходят из почтового ящика поддержки: каждое письмо клиента становится обращением, а его сроки считаются в рабочих часах тарифа клиента.</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>Connect a mailbox</source>
            <translation>Подключить почтовый ящик</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>Your provider, address and password. The connection is tested before anything is saved; the password is kept in the system keyring.</source>
            <translation>Почтовый сервис, адрес и пароль. Подключение проверяется до сохранения; пароль хранится в системном хранилище паролей.</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>Open the demo</source>
            <translation>Открыть демо</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>Sample clients, plans and tickets in a window of its own. This workspace stays as it is; closing the demo removes it.</source>
            <translation>Примеры клиентов, тарифов и обращений в отдельном окне. Эта рабочая область остаётся как есть; при закрытии демо удаляется.</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>Enter clients and plans first</source>
            <translation>Сначала внести клиентов и тарифы</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>Settings ▸ Clients: who you support and under which plan. Their mail then lands on the right deadlines from the first letter.</source>
            <translation>Настройки ▸ Клиенты: кого вы поддерживаете и по какому тарифу. Тогда сроки их писем будут верными с первого же письма.</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>Press ? for the keyboard shortcuts. Help ▸ About shows where your data and logs are kept.</source>
            <translation>Клавиша ? открывает сочетания клавиш. Справка ▸ О программе показывает, где хранятся данные и журналы.</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>⚠ Passwords cannot be kept yet. {0}</source>
            <translation>⚠ Пароли пока негде хранить. {0}</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>The demo is opening in a window of its own.</source>
            <translation>Демо открывается в отдельном окне.</translation>
        </message>
        <message>
            <location filename="../../ui/first_run.py" line="0" />
            <source>The demo could not be started; see the log.</source>
            <translation>Не удалось запустить демо; подробности в журнале.</translation>
        </message>
    </context>
    <context>
        <name>Progress</name>
        <message>
            <location filename="../../ui/progress.py" line="0" />
            <source>estimating the time left…</source>
            <translation>оценка оставшегося времени…</translation>
        </message>
        <message>
            <location filename="../../ui/progress.py" line="0" />
            <source>less than a minute left</source>
            <translation>осталось меньше минуты</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/progress.py" line="0" />
            <source>about %n min left</source>
            <translation>
                <numerusform>осталось около %n мин</numerusform>
                <numerusform>осталось около %n мин</numerusform>
                <numerusform>осталось около %n мин</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/progress.py" line="0" />
            <source>about {0} h {1} min left</source>
            <translation>осталось около {0} ч {1} мин</translation>
        </message>
        <message>
            <location filename="../../ui/progress.py" line="0" />
            <source>{0} of {1}</source>
            <translation>{0} из {1}</translation>
        </message>
        <message>
            <location filename="../../ui/progress.py" line="0" />
            <source>stopping after the current step…</source>
            <translation>остановка после текущего шага…</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/progress.py" line="0" />
            <source>(+%n more)</source>
            <translation>
                <numerusform>(и ещё %n)</numerusform>
                <numerusform>(и ещё %n)</numerusform>
                <numerusform>(и ещё %n)</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/progress.py" line="0" />
            <source>Cancel</source>
            <translation>Отменить</translation>
        </message>
        <message>
            <location filename="../../ui/progress.py" line="0" />
            <source>Stop after the current step; what is done so far is kept</source>
            <translation>Остановить после текущего шага; сделанное сохранится</translation>
        </message>
    </context>
    <context>
        <name>Catalog</name>
        <message>
            <source>Refusal and postponement reasons; each sends its reply template (Templates tab). A retired reason is offered nowhere any more but stays on the tickets refused or postponed with it; only a reason no ticket ever had can be deleted.</source>
            <translation>Причины отказа и отложения; с каждой уходит её шаблон ответа (вкладка «Шаблоны»). Выведенная из употребления причина больше нигде не предлагается, но остаётся у обращений, отклонённых или отложенных с ней; удалить можно только причину, которой нет ни у одного обращения.</translation>
        </message>
        <message>
            <source>Refuse and postpone</source>
            <translation>Отказ и отложение</translation>
        </message>
        <message>
            <source>Refuse only</source>
            <translation>Только отказ</translation>
        </message>
        <message>
            <source>Postpone only</source>
            <translation>Только отложение</translation>
        </message>
        <message>
            <source>e.g. billing (Latin letters, digits, _)</source>
            <translation>например, billing (латинские буквы, цифры, _)</translation>
        </message>
        <message>
            <source>Code:</source>
            <translation>Код:</translation>
        </message>
        <message>
            <source>Title in Russian:</source>
            <translation>Название по-русски:</translation>
        </message>
        <message>
            <source>Title in English:</source>
            <translation>Название по-английски:</translation>
        </message>
        <message>
            <source>Tickets:</source>
            <translation>Обращения:</translation>
        </message>
        <message>
            <source>New</source>
            <translation>Новый</translation>
        </message>
        <message>
            <source>Move up</source>
            <translation>Выше</translation>
        </message>
        <message>
            <source>Move down</source>
            <translation>Ниже</translation>
        </message>
        <message>
            <source>Retire</source>
            <translation>Вывести из употребления</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Удалить</translation>
        </message>
        <message>
            <source>Tickets are handed to departments. A retired department is offered nowhere any more but stays on the tickets that have it; only a department no ticket ever had can be deleted.</source>
            <translation>Обращения передаются в отделы. Выведенный из употребления отдел больше нигде не предлагается, но остаётся у своих обращений; удалить можно только отдел, которого нет ни у одного обращения.</translation>
        </message>
        <message>
            <source>Used to:</source>
            <translation>Применяется для:</translation>
        </message>
        <message>
            <source>a new entry</source>
            <translation>новая запись</translation>
        </message>
        <message>
            <source>Bring back</source>
            <translation>Вернуть в употребление</translation>
        </message>
        <message>
            <source>Added.</source>
            <translation>Добавлено.</translation>
        </message>
        <message>
            <source>Saved.</source>
            <translation>Сохранено.</translation>
        </message>
        <message>
            <source>Moved.</source>
            <translation>Перемещено.</translation>
        </message>
        <message>
            <source>Deleted.</source>
            <translation>Удалено.</translation>
        </message>
        <message>
            <source>on no ticket yet</source>
            <translation>пока ни в одном обращении</translation>
        </message>
        <message>
            <source>Retired: offered nowhere any more, kept on its tickets.</source>
            <translation>Выведено из употребления: больше нигде не предлагается, у обращений остаётся.</translation>
        </message>
        <message>
            <source>Back in use.</source>
            <translation>Снова в употреблении.</translation>
        </message>
        <message>
            <source>{0} (retired)</source>
            <translation>{0} (не используется)</translation>
        </message>
        <message>
            <source>Code {0}; on {1} ticket(s)</source>
            <translation>Код {0}; обращений: {1}</translation>
        </message>
        <message>
            <source>On {0} ticket(s): it cannot be deleted; retire it instead</source>
            <translation>Указано в обращениях ({0}): удалить нельзя, выведите из употребления</translation>
        </message>
        <message>
            <source>; retired: offered nowhere</source>
            <translation>; не используется: нигде не предлагается</translation>
        </message>
        <message>
            <source>on {0} ticket(s)</source>
            <translation>обращений: {0}</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <source>Revert</source>
            <translation>Вернуть</translation>
        </message>
    </context>
    <context>
        <name>Numbering</name>
        <message>
            <source>Ticket number prefix:</source>
            <translation>Префикс номера обращения:</translation>
        </message>
        <message>
            <source>Digits in a ticket number:</source>
            <translation>Цифр в номере обращения:</translation>
        </message>
        <message>
            <source>Next ticket:</source>
            <translation>Следующее обращение:</translation>
        </message>
        <message>
            <source>Act number pattern:</source>
            <translation>Шаблон номера акта:</translation>
        </message>
        <message>
            <source>Next act:</source>
            <translation>Следующий акт:</translation>
        </message>
        <message>
            <source>The prefix is 1 to 10 Latin letters or digits, starting with a letter. The act pattern uses {year} and {seq}, with a width if wanted: {seq:04d} gives 0042; with {year} the count starts again each year. Numbers already given never change and are never given again: the new form applies from the next ticket or act.</source>
            <translation>Префикс — от 1 до 10 латинских букв или цифр, начиная с буквы. В шаблоне акта — {year} и {seq}, при желании с шириной: {seq:04d} даёт 0042; с {year} счёт каждый год начинается заново. Уже выданные номера не меняются и не выдаются повторно: новый вид действует со следующего обращения или акта.</translation>
        </message>
        <message>
            <source>Saved.</source>
            <translation>Сохранено.</translation>
        </message>
        <message>
            <source>Nothing changed.</source>
            <translation>Ничего не изменилось.</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <source>Revert</source>
            <translation>Вернуть</translation>
        </message>
    </context>
    <context>
        <name>Requisites</name>
        <message>
            <source>Company name:</source>
            <translation>Наименование:</translation>
        </message>
        <message>
            <source>INN:</source>
            <translation>ИНН:</translation>
        </message>
        <message>
            <source>KPP:</source>
            <translation>КПП:</translation>
        </message>
        <message>
            <source>OGRN / OGRNIP:</source>
            <translation>ОГРН / ОГРНИП:</translation>
        </message>
        <message>
            <source>Address:</source>
            <translation>Адрес:</translation>
        </message>
        <message>
            <source>Signatory:</source>
            <translation>Подписант:</translation>
        </message>
        <message>
            <source>Signatory's position:</source>
            <translation>Должность подписанта:</translation>
        </message>
        <message>
            <source>Bank:</source>
            <translation>Банк:</translation>
        </message>
        <message>
            <source>BIK:</source>
            <translation>БИК:</translation>
        </message>
        <message>
            <source>Settlement account:</source>
            <translation>Расчётный счёт:</translation>
        </message>
        <message>
            <source>Correspondent account:</source>
            <translation>Корр. счёт:</translation>
        </message>
        <message>
            <source>empty: the executor works without VAT</source>
            <translation>пусто — исполнитель работает без НДС</translation>
        </message>
        <message>
            <source>empty: work lines carry only their own amounts</source>
            <translation>пусто — только суммы строк работ</translation>
        </message>
        <message>
            <source>VAT rate, %:</source>
            <translation>Ставка НДС, %:</translation>
        </message>
        <message>
            <source>Price of an hour of paid work, ₽:</source>
            <translation>Стоимость часа платных работ, ₽:</translation>
        </message>
        <message>
            <source>Executor</source>
            <translation>Исполнитель</translation>
        </message>
        <message>
            <source>Bank details</source>
            <translation>Банковские реквизиты</translation>
        </message>
        <message>
            <source>Printed on every new act. INN has 10 or 12 digits, KPP 9, OGRN 13 (OGRNIP 15), BIK 9, accounts 20; the bank's name, BIK and account go together. The hour rate prices a paid ticket's work lines that have no amount of their own. Acts already issued keep what they printed.</source>
            <translation>Печатается в каждом новом акте. В ИНН 10 или 12 цифр, в КПП 9, в ОГРН 13 (ОГРНИП 15), в БИК 9, в счетах 20; банк, БИК и расчётный счёт указываются вместе. По стоимости часа считаются строки работ платного обращения без собственной суммы. Уже выпущенные акты остаются такими, как были напечатаны.</translation>
        </message>
        <message>
            <source>Saved.</source>
            <translation>Сохранено.</translation>
        </message>
        <message>
            <source>Nothing changed.</source>
            <translation>Ничего не изменилось.</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <source>Revert</source>
            <translation>Вернуть</translation>
        </message>
    </context>
    <context>
        <name>SavedViews</name>
        <message>
            <source>team</source>
            <translation>команда</translation>
        </message>
        <message>
            <source>Save filter as view…</source>
            <translation>Сохранить фильтр как представление…</translation>
        </message>
        <message>
            <source>Shared with the team</source>
            <translation>Видно всей команде</translation>
        </message>
        <message>
            <source>Save filter as view</source>
            <translation>Сохранить фильтр как представление</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Название:</translation>
        </message>
        <message>
            <source>Show it to every agent of the team</source>
            <translation>Показывать всем агентам команды</translation>
        </message>
        <message>
            <source>Rename view</source>
            <translation>Переименовать представление</translation>
        </message>
        <message>
            <source>Rename</source>
            <translation>Переименовать</translation>
        </message>
        <message>
            <source>Private: only you see it</source>
            <translation>Личное: видите только вы</translation>
        </message>
        <message>
            <source>The view is shown to the whole team</source>
            <translation>Представление видно всей команде</translation>
        </message>
        <message>
            <source>The view is private now</source>
            <translation>Представление теперь личное</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Удалить</translation>
        </message>
        <message>
            <source>Save the search and filters as a view of your own ({0})</source>
            <translation>Сохранить поиск и фильтры как своё представление ({0})</translation>
        </message>
        <message>
            <source>The search and filters shown now, on the view “{0}”, are kept under a name in the list of views.</source>
            <translation>Текущие поиск и фильтры в представлении «{0}» сохраняются под названием в списке представлений.</translation>
        </message>
        <message>
            <source>View renamed to “{0}”</source>
            <translation>Представление переименовано в «{0}»</translation>
        </message>
        <message>
            <source>View “{0}” deleted</source>
            <translation>Представление «{0}» удалено</translation>
        </message>
        <message>
            <source>Rename…</source>
            <translation>Переименовать…</translation>
        </message>
        <message>
            <source>Move up</source>
            <translation>Выше</translation>
        </message>
        <message>
            <source>Move down</source>
            <translation>Ниже</translation>
        </message>
        <message>
            <source>Shared by {0}</source>
            <translation>Общее, от {0}</translation>
        </message>
        <message>
            <source>status</source>
            <translation>статус</translation>
        </message>
        <message>
            <source>department</source>
            <translation>отдел</translation>
        </message>
        <message>
            <source>plan</source>
            <translation>тариф</translation>
        </message>
        <message>
            <source>SLA</source>
            <translation>SLA</translation>
        </message>
        <message>
            <source>assignee: {0}</source>
            <translation>исполнитель: {0}</translation>
        </message>
        <message>
            <source>nobody</source>
            <translation>никто</translation>
        </message>
        <message>
            <source>search: «{0}»</source>
            <translation>поиск: «{0}»</translation>
        </message>
        <message>
            <source>View “{0}” saved</source>
            <translation>Представление «{0}» сохранено</translation>
        </message>
    </context>
    <context>
        <name>Composer</name>
        <message>
            <source>{0}: {1}</source>
            <translation>{0}: {1}</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Убрать</translation>
        </message>
        <message>
            <source>Remove the chosen file (Delete)</source>
            <translation>Убрать выбранный файл (Delete)</translation>
        </message>
        <message>
            <source>{0} of {1}</source>
            <translation>{0} из {1}</translation>
        </message>
        <message>
            <source>Cc</source>
            <translation>Копия</translation>
        </message>
        <message>
            <source>Add a copy recipient</source>
            <translation>Добавить получателя копии</translation>
        </message>
        <message>
            <source>Bcc</source>
            <translation>Скрытая</translation>
        </message>
        <message>
            <source>Add a blind copy recipient: the others do not see it</source>
            <translation>Добавить получателя скрытой копии: остальные его не увидят</translation>
        </message>
        <message>
            <source>Canned replies of the team</source>
            <translation>Готовые ответы команды</translation>
        </message>
        <message>
            <source>Insert</source>
            <translation>Вставить</translation>
        </message>
        <message>
            <source>Manage…</source>
            <translation>Настроить…</translation>
        </message>
        <message>
            <source>Placeholder</source>
            <translation>Подстановка</translation>
        </message>
        <message>
            <source>Quote the message</source>
            <translation>Цитировать письмо</translation>
        </message>
        <message>
            <source>Attach…</source>
            <translation>Приложить…</translation>
        </message>
        <message>
            <source>Write your reply… (Ctrl+Enter sends, Esc closes)</source>
            <translation>Напишите ответ… (Ctrl+Enter — отправить, Esc — закрыть)</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>Удалить</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Закрыть</translation>
        </message>
        <message>
            <source>Close the reply; the draft is kept for later</source>
            <translation>Закрыть ответ; черновик сохранится</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>Отправить</translation>
        </message>
        <message>
            <source>Discard this reply?</source>
            <translation>Удалить этот ответ?</translation>
        </message>
        <message>
            <source>Keep as draft</source>
            <translation>Оставить черновиком</translation>
        </message>
        <message>
            <source>Continue writing</source>
            <translation>Продолжить</translation>
        </message>
        <message>
            <source>Attach files</source>
            <translation>Приложить файлы</translation>
        </message>
        <message>
            <source>To</source>
            <translation>Кому</translation>
        </message>
        <message>
            <source>&amp;To:</source>
            <translation>&amp;Кому:</translation>
        </message>
        <message>
            <source>&amp;Cc:</source>
            <translation>К&amp;опия:</translation>
        </message>
        <message>
            <source>&amp;Bcc:</source>
            <translation>&amp;Скрытая:</translation>
        </message>
        <message>
            <source>addresses, separated by commas</source>
            <translation>адреса через запятую</translation>
        </message>
        <message>
            <source>Draft restored</source>
            <translation>Черновик восстановлен</translation>
        </message>
        <message>
            <source>To: add at least one recipient</source>
            <translation>Кому: укажите хотя бы одного получателя</translation>
        </message>
        <message>
            <source>Not sent: the ticket has a new message. Read it, then press Send again.</source>
            <translation>Не отправлено: в обращении новое письмо. Прочитайте его и нажмите «Отправить» ещё раз.</translation>
        </message>
        <message>
            <source>What you wrote to {0} will be lost.</source>
            <translation>Написанное для {0} пропадёт.</translation>
        </message>
        <message>
            <source>Draft saved at {0}</source>
            <translation>Черновик сохранён в {0}</translation>
        </message>
        <message>
            <source>Save as canned reply…</source>
            <translation>Сохранить как готовый ответ…</translation>
        </message>
        <message>
            <source>Save as canned reply</source>
            <translation>Сохранить как готовый ответ</translation>
        </message>
        <message>
            <source>Name of the canned reply (the team sees it):</source>
            <translation>Название готового ответа (его увидит вся команда):</translation>
        </message>
        <message>
            <source>Saved as canned reply “{0}”</source>
            <translation>Сохранено как готовый ответ «{0}»</translation>
        </message>
    </context>
    <context>
        <name>DetailActs</name>
        <message>
            <source>Bilateral act</source>
            <translation>Двусторонний акт</translation>
        </message>
        <message>
            <source>Acceptance act</source>
            <translation>Акт сдачи-приёмки</translation>
        </message>
        <message>
            <source>Mark done</source>
            <translation>Выполнено</translation>
        </message>
        <message>
            <source>The chosen rework item is done (Enter on it does the same)</source>
            <translation>Выбранная доработка выполнена (то же — клавиша Enter на ней)</translation>
        </message>
        <message>
            <source>issued, not sent</source>
            <translation>выставлен, не отправлен</translation>
        </message>
        <message>
            <source>sent, awaiting the client</source>
            <translation>отправлен, ждём ответа клиента</translation>
        </message>
        <message>
            <source>not answered in time, follow up</source>
            <translation>нет ответа в срок — напомнить клиенту</translation>
        </message>
        <message>
            <source>accepted</source>
            <translation>принят</translation>
        </message>
        <message>
            <source>deemed accepted</source>
            <translation>считается принятым</translation>
        </message>
        <message>
            <source>refused</source>
            <translation>отклонён</translation>
        </message>
        <message>
            <source>replaced</source>
            <translation>заменён</translation>
        </message>
        <message>
            <source>Rework agreed with the client</source>
            <translation>Доработки, согласованные с клиентом</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>Срок</translation>
        </message>
        <message>
            <source>Left</source>
            <translation>Осталось</translation>
        </message>
        <message>
            <source>Suggested as paid work</source>
            <translation>Предлагается как платная работа</translation>
        </message>
        <message>
            <source>Paid work</source>
            <translation>Платная работа</translation>
        </message>
        <message>
            <source>{0} {1} of {2}: {3}</source>
            <translation>{0} № {1} от {2}: {3}</translation>
        </message>
    </context>
    <context>
        <name>Paid</name>
        <message>
            <source>Because:</source>
            <translation>Основание:</translation>
        </message>
        <message>
            <source>e.g. setting up advertising is not part of the site's support</source>
            <translation>например, настройка рекламы не входит в поддержку сайта</translation>
        </message>
        <message>
            <source>Not related to the client's services</source>
            <translation>Не связано с услугами клиента</translation>
        </message>
        <message>
            <source>Urgent, asked outside the plan's hours</source>
            <translation>Срочно, вне часов тарифа</translation>
        </message>
        <message>
            <source>The client's contract has expired</source>
            <translation>Договор клиента истёк</translation>
        </message>
        <message>
            <source>Other reason</source>
            <translation>Другая причина</translation>
        </message>
    </context>
    <context>
        <name>RefuseAct</name>
        <message>
            <source>One reason a line, as the client gave it</source>
            <translation>По одной причине в строке — так, как их назвал клиент</translation>
        </message>
        <message>
            <source>Client's reasons:</source>
            <translation>Причины отказа:</translation>
        </message>
        <message>
            <source>Add item</source>
            <translation>Добавить пункт</translation>
        </message>
        <message>
            <source>Remove item</source>
            <translation>Удалить пункт</translation>
        </message>
        <message>
            <source>DOCX (editable)</source>
            <translation>DOCX (редактируемый)</translation>
        </message>
        <message>
            <source>Bilateral act as:</source>
            <translation>Двусторонний акт в формате:</translation>
        </message>
        <message>
            <source>Make bilateral act</source>
            <translation>Составить двусторонний акт</translation>
        </message>
        <message>
            <source>Rework agreed:</source>
            <translation>Согласованные доработки:</translation>
        </message>
        <message>
            <source>What is to be done</source>
            <translation>Что доработать</translation>
        </message>
        <message>
            <source>Due by</source>
            <translation>Срок</translation>
        </message>
        <message>
            <source>Write at least one of the client's reasons.</source>
            <translation>Укажите хотя бы одну причину отказа клиента.</translation>
        </message>
        <message>
            <source>List at least one rework item.</source>
            <translation>Добавьте хотя бы один пункт доработки.</translation>
        </message>
        <message>
            <source>Act refused — {0}</source>
            <translation>Отказ от акта — {0}</translation>
        </message>
        <message>
            <source>The client refused act {0} with reasons. A bilateral act lists the reasons and the rework agreed, each item with its deadline; the ticket goes back to work and the deadlines are tracked.</source>
            <translation>Клиент направил мотивированный отказ от акта {0}. В двустороннем акте перечисляются причины и согласованные доработки, у каждой свой срок; обращение возвращается в работу, а сроки отслеживаются.</translation>
        </message>
        <message>
            <source>Rework item {0} says nothing to do: describe it or remove it.</source>
            <translation>В пункте {0} не сказано, что доработать: опишите его или удалите.</translation>
        </message>
        <message>
            <source>Rework item {0} is due in the past.</source>
            <translation>Срок пункта {0} уже прошёл.</translation>
        </message>
        <message>
            <source>Bilateral act {0} saved to {1}</source>
            <translation>Двусторонний акт {0} сохранён: {1}</translation>
        </message>
    </context>
    <context>
        <name>Compare</name>
        <message>
            <source>client not identified</source>
            <translation>клиент не определён</translation>
        </message>
        <message>
            <source>received {0}</source>
            <translation>получено {0}</translation>
        </message>
        <message>
            <source>{0} messages</source>
            <translation>сообщений: {0}</translation>
        </message>
        <message>
            <source>{0} and {1} side by side</source>
            <translation>{0} и {1} рядом</translation>
        </message>
        <message>
            <source>Merge {0} into {1}…</source>
            <translation>Объединить {0} с {1}…</translation>
        </message>
        <message>
            <source>Reading {0}…</source>
            <translation>Загрузка {0}…</translation>
        </message>
    </context>
    <context>
        <name>Merge</name>
        <message>
            <source>Merge</source>
            <translation>Объединить</translation>
        </message>
        <message>
            <source>Original ticket:</source>
            <translation>Исходное обращение:</translation>
        </message>
        <message>
            <source>Tell the client</source>
            <translation>Сообщить клиенту</translation>
        </message>
        <message>
            <source>One question per ticket: split the other questions into tickets of their own instead of refusing.</source>
            <translation>Один вопрос — одно обращение: вместо отказа выделите остальные вопросы в отдельные обращения.</translation>
        </message>
        <message>
            <source>Split instead…</source>
            <translation>Разделить…</translation>
        </message>
        <message>
            <source>Merge — {0}</source>
            <translation>Объединение — {0}</translation>
        </message>
        <message>
            <source>{0} becomes a duplicate: its messages move to the original and it closes. The original keeps its status and deadlines.</source>
            <translation>{0} станет дубликатом: его письма перейдут в исходное обращение, а сам он закроется. Исходное обращение сохранит свой статус и сроки.</translation>
        </message>
        <message>
            <source>Merge it into the original instead: its messages move there.</source>
            <translation>Вместо отказа объедините его с исходным обращением: письма перейдут туда.</translation>
        </message>
        <message>
            <source>Likely original: {0} “{1}”</source>
            <translation>Вероятно, исходное: {0} «{1}»</translation>
        </message>
        <message>
            <source>Merge instead…</source>
            <translation>Объединить…</translation>
        </message>
        <message>
            <source>Merge into {0}…</source>
            <translation>Объединить с {0}…</translation>
        </message>
    </context>
    <context>
        <name>MoveMessage</name>
        <message>
            <source>Looking up the sender…</source>
            <translation>Определяем отправителя…</translation>
        </message>
        <message>
            <source>by the sender's address</source>
            <translation>по адресу отправителя</translation>
        </message>
        <message>
            <source>by the sender's domain</source>
            <translation>по домену отправителя</translation>
        </message>
        <message>
            <source>The new ticket will belong to {0} ({1}) and take its plan.</source>
            <translation>Новое обращение будет отнесено к клиенту {0} ({1}) и получит его тариф.</translation>
        </message>
        <message>
            <source>A message of another conversation goes to its ticket; one that asks something new becomes a ticket of its own.</source>
            <translation>Письмо из другой переписки переносится в её обращение; письмо с новым вопросом становится отдельным обращением.</translation>
        </message>
        <message>
            <source>Move</source>
            <translation>Перенести</translation>
        </message>
        <message>
            <source>Message:</source>
            <translation>Письмо:</translation>
        </message>
        <message>
            <source>To the ticket:</source>
            <translation>В обращение:</translation>
        </message>
        <message>
            <source>Into a new ticket, subject:</source>
            <translation>В новое обращение, тема:</translation>
        </message>
        <message>
            <source>The new ticket will have no client: {0} is not a known client's address.</source>
            <translation>У нового обращения не будет клиента: {0} — не адрес известного клиента.</translation>
        </message>
        <message>
            <source>Move a message — {0}</source>
            <translation>Перенос письма — {0}</translation>
        </message>
    </context>
    <context>
        <name>ThreadFix</name>
        <message>
            <source>Confirm thread</source>
            <translation>Подтвердить привязку</translation>
        </message>
        <message>
            <source>Move message to ticket…</source>
            <translation>Перенести письмо в обращение…</translation>
        </message>
        <message>
            <source>Split message into new ticket…</source>
            <translation>Выделить письмо в новое обращение…</translation>
        </message>
        <message>
            <source>Compare with likely original</source>
            <translation>Сравнить с вероятным исходным</translation>
        </message>
        <message>
            <source>Move to ticket…</source>
            <translation>Перенести в обращение…</translation>
        </message>
        <message>
            <source>Split into new ticket…</source>
            <translation>Выделить в новое обращение…</translation>
        </message>
        <message>
            <source>Confirm it belongs here</source>
            <translation>Подтвердить, что оно отсюда</translation>
        </message>
    </context>
    <context>
        <name>Notices</name>
        <message>
            <source> nor of a known client.</source>
            <translation> и не адрес известного клиента.</translation>
        </message>
        <message>
            <source>Confirm that it belongs here, move it to the ticket it belongs to, or split it into a new ticket of its sender's own client.</source>
            <translation>Подтвердите, что письмо относится к этому обращению, перенесите его в нужное обращение или выделите в новое обращение клиента самого отправителя.</translation>
        </message>
        <message>
            <source>A message from {0} ({1}) joined this ticket because its subject “{2}” names {3}, but the sender is neither the requester ({4})</source>
            <translation>Письмо от {0} ({1}) добавлено в это обращение, потому что в его теме «{2}» указан номер {3}, но отправитель — не автор обращения ({4})</translation>
        </message>
        <message>
            <source> nor an address of the client {0}.</source>
            <translation> и не адрес клиента {0}.</translation>
        </message>
        <message>
            <source>Confirm thread</source>
            <translation>Подтвердить привязку</translation>
        </message>
        <message>
            <source>Move to ticket…</source>
            <translation>Перенести в обращение…</translation>
        </message>
        <message>
            <source>Split into new ticket…</source>
            <translation>Выделить в новое обращение…</translation>
        </message>
        <message>
            <source>Marked as a possible duplicate, but no open ticket of this client is like it now.</source>
            <translation>Отмечено как возможный дубликат, но похожих открытых обращений этого клиента сейчас нет.</translation>
        </message>
        <message>
            <source>Compare side by side</source>
            <translation>Сравнить рядом</translation>
        </message>
        <message>
            <source>Not a duplicate</source>
            <translation>Не дубликат</translation>
        </message>
        <message>
            <source>({0} messages to check.)</source>
            <translation>(Писем на проверку: {0}.)</translation>
        </message>
        <message>
            <source>Merge into…</source>
            <translation>Объединить с…</translation>
        </message>
        <message>
            <source>Possible duplicate of {0} “{1}” ({2}, received {3}): the same client, a similar subject and a similar text.</source>
            <translation>Возможный дубликат {0} «{1}» ({2}, получено {3}): тот же клиент, похожие тема и текст.</translation>
        </message>
        <message>
            <source>Merge into {0}…</source>
            <translation>Объединить с {0}…</translation>
        </message>
        <message>
            <source>Confirm the thread</source>
            <translation>Подтвердите привязку</translation>
        </message>
    </context>
    <context>
        <name>Workstation</name>
        <message>
            <source>Revert</source>
            <translation>Вернуть</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Сохранить</translation>
        </message>
        <message>
            <source>Saved: times are shown in {0}.</source>
            <translation>Сохранено: время показывается в поясе {0}.</translation>
        </message>
        <message>
            <source>Every time in the window is shown in this zone. Where it differs from a plan's calendar zone, a deadline says both: "due 18:00 MSK — 20:00 your time". Mail and acts to clients keep the calendar's zone and name it.</source>
            <translation>Всё время в окне показывается в этом поясе. Если он отличается от пояса календаря тарифа, срок называется в обоих: «до 18:00 МСК — 20:00 у вас». Письма и акты клиентам остаются в поясе календаря и называют его.</translation>
        </message>
        <message>
            <source>Show times in the time zone</source>
            <translation>Показывать время в часовом поясе</translation>
        </message>
        <message>
            <source>The computer's zone ({0})</source>
            <translation>Пояс компьютера ({0})</translation>
        </message>
    </context>
</TS>