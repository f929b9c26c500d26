package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/hanoi-cnht/portal/models"
)

// smtpTimeout bounds the connection and each command, so a silent server delays the outbox by
// seconds rather than holding the worker.
const smtpTimeout = 10 * time.Second

// The ports used when the URL names none: submission with STARTTLS (RFC 6409) and submission
// over implicit TLS (RFC 8314), the ports a program hands mail to a provider on.
const (
	defaultSMTPPort  = 587
	defaultSMTPSPort = 465
)

// SMTPSender sends mails through one SMTP server. It opens a connection per mail: the portal
// sends a few mails an hour, and a fresh connection never finds a server that timed out.
type SMTPSender struct {
	client *gomail.Client
	from   *netmail.Address
	// domain is the sender's domain, which makes Message-IDs unique to the portal.
	domain string
	// server describes the server without its password, for logs.
	server string
}

// NewSMTPSender reads the server's URL and the sender's address. The URL takes these forms:
//
//	smtp://user:pass@host:587                 STARTTLS when the server offers it
//	smtp://user:pass@host:587?tls=mandatory   STARTTLS, or no mail
//	smtps://user:pass@host:465                implicit TLS
//	smtp://host:25?tls=none                   no TLS, for a relay on this machine or network
//
// Without a port, smtp uses 587 and smtps 465. A password with reserved characters is
// percent-encoded (p%40ss for p@ss). Credentials are refused with tls=none, as they would cross
// the network in clear. from may carry a display name:
// "Cổng CNHT Hà Nội <khong-tra-loi@cnht.hanoi.gov.vn>".
func NewSMTPSender(rawURL string, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error repeats the whole URL, password included; its cause does not.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("mail server URL: %w", err)
	}
	var (
		opts        []gomail.Option
		port        int
		description string
	)
	tlsMode := u.Query().Get("tls")
	for key := range u.Query() {
		if key != "tls" {
			return nil, fmt.Errorf("mail server URL: unknown parameter %q (only tls is understood)", key)
		}
	}
	switch u.Scheme {
	case "smtp":
		port = defaultSMTPPort
		switch tlsMode {
		case "", "opportunistic":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
			description = "STARTTLS when offered"
		case "mandatory":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
			description = "STARTTLS required"
		case "none":
			opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
			description = "no TLS"
		default:
			return nil, fmt.Errorf("mail server URL: tls=%q is not opportunistic, mandatory or none", tlsMode)
		}
	case "smtps":
		port = defaultSMTPSPort
		if tlsMode != "" && tlsMode != "mandatory" {
			return nil, fmt.Errorf("mail server URL: smtps always uses TLS; tls=%q contradicts it", tlsMode)
		}
		opts = append(opts, gomail.WithSSL())
		description = "implicit TLS"
	default:
		return nil, fmt.Errorf("mail server URL: scheme %q is not smtp or smtps", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return nil, errors.New("mail server URL: no host")
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("mail server URL: unexpected path %q", u.Path)
	}
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("mail server URL: port %q is not a port number", p)
		}
	}
	if u.User != nil {
		pass, ok := u.User.Password()
		if u.User.Username() == "" || !ok {
			return nil, errors.New("mail server URL: credentials need both a user and a password")
		}
		if tlsMode == "none" {
			return nil, errors.New("mail server URL: credentials with tls=none would cross the network unencrypted")
		}
		// Auto-discovery picks the strongest mechanism the server offers, and none that sends
		// the password in clear over a connection that is not encrypted.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	sender, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("sender address %q: %w", from, err)
	}
	domain := sender.Address[strings.LastIndexByte(sender.Address, '@')+1:]
	opts = append(opts, gomail.WithPort(port), gomail.WithTimeout(smtpTimeout),
		gomail.WithHELO(heloName(domain)),
		gomail.WithTLSConfig(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}))
	// go-mail joins host and port with a bare colon, so an IPv6 literal keeps its brackets.
	clientHost := host
	if strings.Contains(host, ":") {
		clientHost = "[" + host + "]"
	}
	client, err := gomail.NewClient(clientHost, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail client: %w", err)
	}
	shown := url.URL{Scheme: u.Scheme, User: u.User, Host: net.JoinHostPort(host, strconv.Itoa(port)), RawQuery: u.RawQuery}
	return &SMTPSender{
		client: client,
		from:   sender,
		domain: domain,
		server: shown.Redacted() + " (" + description + ")",
	}, nil
}

// heloName is the name the portal greets the server with. Servers that check the greeting
// want a fully qualified name, which a machine's own name often is not ("vm", a container's
// id); the sender's domain is then the name the portal mails under.
func heloName(senderDomain string) string {
	if h, err := os.Hostname(); err == nil && strings.Contains(strings.Trim(h, "."), ".") {
		return h
	}
	return senderDomain
}

// String describes the server for logs, with the password masked.
func (s *SMTPSender) String() string { return s.server }

// Send delivers m: a plain-text UTF-8 message with its subject encoded for mail headers. A
// permanent refusal of the recipient is ErrRejected; anything else may pass on a later try.
func (s *SMTPSender) Send(ctx context.Context, m models.Mail) error {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP),
		gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	if err := msg.To(m.Recipient); err != nil {
		return fmt.Errorf("%w: recipient %q: %v", ErrRejected, m.Recipient, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(rand.Text() + "@" + s.domain)
	msg.SetDate()
	if m.Lang != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	}
	// RFC 3834: vacation responders and the like should not answer a portal's mail.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)

	err := s.client.DialAndSendWithContext(ctx, msg)
	if err == nil {
		return nil
	}
	if recipientRefused(err) {
		return fmt.Errorf("%w: %v", ErrRejected, err)
	}
	return fmt.Errorf("smtp %s: %w", s.client.ServerAddr(), err)
}

// recipientRefused reports whether the server refused the recipient for good: a 5xx reply to
// RCPT TO. 552 (mailbox full) is the exception RFC 5321 §4.5.3.1.10 makes: clients should take
// it as the temporary 452, since a mailbox is emptied.
func recipientRefused(err error) bool {
	var serr *gomail.SendError
	if !errors.As(err, &serr) || serr.Reason != gomail.ErrSMTPRcptTo {
		return false
	}
	code := serr.ErrorCode()
	return code >= 500 && code < 600 && code != 552
}
