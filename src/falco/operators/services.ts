/**
 * The service names Falco accepts for port fields (`fd.sport in (22, ssh)`), from the IANA /
 * /etc/services names for TCP. Kept as a table so results do not depend on the host's files.
 */
export const SERVICE_PORTS: ReadonlyMap<string, number> = new Map([
  ['ftp-data', 20], ['ftp', 21], ['ssh', 22], ['telnet', 23], ['smtp', 25], ['domain', 53], ['dns', 53],
  ['http', 80], ['www', 80], ['kerberos', 88], ['pop3', 110], ['sunrpc', 111], ['ntp', 123], ['imap', 143],
  ['snmp', 161], ['ldap', 389], ['https', 443], ['microsoft-ds', 445], ['smtps', 465], ['submission', 587],
  ['ldaps', 636], ['rsync', 873], ['imaps', 993], ['pop3s', 995], ['socks', 1080], ['openvpn', 1194],
  ['ms-sql-s', 1433], ['nfs', 2049], ['mysql', 3306], ['rdp', 3389], ['ms-wbt-server', 3389],
  ['postgresql', 5432], ['postgres', 5432], ['amqp', 5672], ['x11', 6000], ['redis', 6379], ['irc', 6667],
  ['http-alt', 8080], ['webcache', 8080], ['kube-apiserver', 6443], ['etcd-client', 2379], ['mongodb', 27017],
]);
