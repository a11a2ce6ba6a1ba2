/// Replies as Postfix, Gmail and aiosmtpd send them (from RFC 5321's and RFC 4954's examples and the servers' own
/// texts), the seeds of the reply parser's tests and of its mutation test.
enum SMTPTranscripts {
    static let greeting = "220 smtp.example.com ESMTP Postfix (Debian/GNU)\r\n"
    static let ehlo =
        "250-smtp.gmail.com at your service, [203.0.113.7]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-STARTTLS\r\n"
        + "250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n"
    static let ehloTLS =
        "250-smtp.gmail.com at your service\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n"
        + "250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n"
    static let replies = [
        "235 2.7.0 Accepted\r\n",
        "535-5.7.8 Username and Password not accepted. For more information, go to\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials\r\n",
        "334 VXNlcm5hbWU6\r\n",
        "334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==\r\n",
        "250 2.1.0 OK\r\n",
        "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table\r\n",
        "452 4.5.3 Too many recipients\r\n",
        "354 End data with <CR><LF>.<CR><LF>\r\n",
        "552 5.3.4 Message size exceeds fixed limit\r\n",
        "421 4.7.0 smtp.example.com Error: too many errors\r\n",
        "250 2.0.0 OK  1700000000 a1-20020a170902b10100b001c5fd2a2b1dsi1234567plf.42 - gsmtp\r\n",
        "221 2.0.0 Bye\r\n",
        "250 smtp.example.com\n",
    ]

    /// Every transcript, one reply each.
    static var all: [String] {
        [Self.greeting, Self.ehlo, Self.ehloTLS] + Self.replies
    }
}
