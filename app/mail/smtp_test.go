package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"testing"

	smtpmock "github.com/mocktools/go-smtp-mock/v2"
	gomail "github.com/wneessen/go-mail"

	"github.com/hanoi-cnht/portal/models"
)

const testFrom = "Cổng CNHT Hà Nội <khong-tra-loi@cnht.example.vn>"

// startSMTP starts a fake SMTP server on 127.0.0.1 (on port, or a free one when port is 0),
// stopped when the test ends. It answers every command as a plain server would, without
// STARTTLS or AUTH, and refuses the recipients in refuse with the given replies.
func startSMTP(t *testing.T, port int, refuse map[string]string) *smtpmock.Server {
	t.Helper()
	// MultipleMessageReceiving keeps a delivered message through the RSET that go-mail sends
	// after it, instead of wiping it.
	cfg := smtpmock.ConfigurationAttr{HostAddress: "127.0.0.1", PortNumber: port, MultipleMessageReceiving: true}
	// The fake refuses one kind of recipient with one reply; a test needing several starts
	// several servers.
	for addr, reply := range refuse {
		cfg.BlacklistedRcpttoEmails = append(cfg.BlacklistedRcpttoEmails, addr)
		cfg.MsgRcpttoBlacklistedEmail = reply
	}
	srv := smtpmock.New(cfg)
	if err := srv.Start(); err != nil {
		t.Fatalf("start fake SMTP server: %v", err)
	}
	t.Cleanup(func() { srv.Stop() })
	return srv
}

// freePort finds a port on 127.0.0.1 where nothing listens, for a server that is down.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func localSender(t *testing.T, port int, query string) *SMTPSender {
	t.Helper()
	s, err := NewSMTPSender(fmt.Sprintf("smtp://127.0.0.1:%d%s", port, query), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// delivered returns the messages the server accepted, parsed, with their decoded bodies.
func delivered(t *testing.T, srv *smtpmock.Server) []receivedMail {
	t.Helper()
	var out []receivedMail
	for _, m := range srv.Messages() {
		if !m.Msg() {
			continue
		}
		msg, err := netmail.ReadMessage(strings.NewReader(m.MsgRequest()))
		if err != nil {
			t.Fatalf("parse delivered message: %v\n%s", err, m.MsgRequest())
		}
		var body io.Reader = msg.Body
		if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(body)
		}
		text, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, receivedMail{rcpt: m.RcpttoRequestResponse(), header: msg.Header, body: string(text)})
	}
	return out
}

type receivedMail struct {
	rcpt   [][]string
	header netmail.Header
	body   string
}

func TestNewSMTPSender(t *testing.T) {
	const secret = "s3cr3t-pw"
	for _, tc := range []struct {
		name, url string
		want      string // String() of the sender
	}{
		{"STARTTLSWhenOffered", "smtp://portal:" + secret + "@mail.example.vn:587",
			"smtp://portal:xxxxx@mail.example.vn:587 (STARTTLS when offered)"},
		{"SubmissionPortByDefault", "smtp://mail.example.vn", "smtp://mail.example.vn:587 (STARTTLS when offered)"},
		{"STARTTLSRequired", "smtp://portal:" + secret + "@mail.example.vn:2525?tls=mandatory",
			"smtp://portal:xxxxx@mail.example.vn:2525?tls=mandatory (STARTTLS required)"},
		{"ImplicitTLS", "smtps://portal:" + secret + "@mail.example.vn", "smtps://portal:xxxxx@mail.example.vn:465 (implicit TLS)"},
		{"NoTLSForALocalRelay", "smtp://localhost:25?tls=none", "smtp://localhost:25?tls=none (no TLS)"},
		{"IPv6Host", "smtp://[::1]:2525?tls=none", "smtp://[::1]:2525?tls=none (no TLS)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSMTPSender(tc.url, testFrom)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.String(); got != tc.want {
				t.Fatalf("String() = %q, want %q", got, tc.want)
			}
		})
	}

	for _, tc := range []struct{ name, url, from string }{
		{"ErrEmptyURL", "", testFrom},
		{"ErrBadScheme", "http://mail.example.vn", testFrom},
		{"ErrNoScheme", "mail.example.vn:25", testFrom},
		{"ErrMissingHost", "smtp://:25", testFrom},
		{"ErrMissingHostWithCredentials", "smtps://portal:" + secret + "@", testFrom},
		{"ErrBadPort", "smtp://mail.example.vn:99999", testFrom},
		{"ErrNonNumericPort", "smtp://portal:" + secret + "@mail.example.vn:smtp", testFrom},
		{"ErrUnknownTLSMode", "smtp://mail.example.vn?tls=maybe", testFrom},
		{"ErrUnknownParameter", "smtp://mail.example.vn?tsl=none", testFrom},
		{"ErrImplicitTLSWithoutTLS", "smtps://mail.example.vn?tls=none", testFrom},
		{"ErrCredentialsWithoutTLS", "smtp://portal:" + secret + "@mail.example.vn:25?tls=none", testFrom},
		{"ErrUserWithoutPassword", "smtp://portal@mail.example.vn", testFrom},
		{"ErrPath", "smtp://mail.example.vn/inbox", testFrom},
		{"ErrUnparsable", "smtp://portal:" + secret + "@mail example.vn", testFrom},
		{"ErrBadSender", "smtp://mail.example.vn", "Cổng CNHT"},
		{"ErrEmptySender", "smtp://mail.example.vn", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSMTPSender(tc.url, tc.from)
			if err == nil {
				t.Fatalf("NewSMTPSender(%q) = %v, want an error", tc.url, s)
			}
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
}

func TestSMTPSenderSend(t *testing.T) {
	ctx := context.Background()
	mail := models.Mail{
		ID:        7,
		Recipient: "nguyen.van.an@example.vn",
		Lang:      "vi",
		Subject:   "Xác nhận địa chỉ e-mail của bạn",
		Body: "Chào anh An,\n\nVui lòng mở liên kết sau để xác nhận tài khoản trên Cổng CNHT Hà Nội:\n" +
			"https://cnht.example.vn/xac-nhan?token=abc\n\nTrân trọng.\n",
	}

	t.Run("Delivered", func(t *testing.T) {
		srv := startSMTP(t, 0, nil)
		if err := localSender(t, srv.PortNumber(), "").Send(ctx, mail); err != nil {
			t.Fatal(err)
		}
		got := delivered(t, srv)
		if len(got) != 1 {
			t.Fatalf("server accepted %d messages, want 1", len(got))
		}
		m := got[0]
		if len(m.rcpt) != 1 || m.rcpt[0][0] != "RCPT TO:<"+mail.Recipient+">" {
			t.Fatalf("envelope recipients = %q", m.rcpt)
		}
		if to := m.header.Get("To"); to != "<"+mail.Recipient+">" && to != mail.Recipient {
			t.Fatalf("To = %q", to)
		}
		from, err := m.header.AddressList("From")
		if err != nil || len(from) != 1 || from[0].Name != "Cổng CNHT Hà Nội" || from[0].Address != "khong-tra-loi@cnht.example.vn" {
			t.Fatalf("From = %q (%v)", m.header.Get("From"), err)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(m.header.Get("Subject"))
		if err != nil || subject != mail.Subject {
			t.Fatalf("Subject = %q, decoded %q (%v); want %q", m.header.Get("Subject"), subject, err, mail.Subject)
		}
		if ct := m.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "charset=utf-8") {
			t.Fatalf("Content-Type = %q", ct)
		}
		if got := strings.ReplaceAll(m.body, "\r\n", "\n"); got != mail.Body {
			t.Fatalf("body = %q\nwant %q", got, mail.Body)
		}
		if id := m.header.Get("Message-Id"); !strings.HasSuffix(id, "@cnht.example.vn>") {
			t.Fatalf("Message-ID = %q, want one in the sender's domain", id)
		}
		if _, err := m.header.Date(); err != nil {
			t.Fatalf("Date = %q: %v", m.header.Get("Date"), err)
		}
		if lang := m.header.Get("Content-Language"); lang != "vi" {
			t.Fatalf("Content-Language = %q", lang)
		}
		if auto := m.header.Get("Auto-Submitted"); auto != "auto-generated" {
			t.Fatalf("Auto-Submitted = %q", auto)
		}
	})

	t.Run("ErrRejectedOnPermanentRefusal", func(t *testing.T) {
		srv := startSMTP(t, 0, map[string]string{mail.Recipient: "550 5.1.1 No such user"})
		err := localSender(t, srv.PortNumber(), "").Send(ctx, mail)
		if !errors.Is(err, ErrRejected) {
			t.Fatalf("Send = %v, want ErrRejected", err)
		}
		if n := len(delivered(t, srv)); n != 0 {
			t.Fatalf("server accepted %d messages", n)
		}
	})

	for _, reply := range []string{"452 4.2.2 Mailbox full", "552 5.2.2 Mailbox full", "421 4.3.2 Try later"} {
		t.Run("TemporaryRefusalIsNotRejected/"+reply[:3], func(t *testing.T) {
			srv := startSMTP(t, 0, map[string]string{mail.Recipient: reply})
			err := localSender(t, srv.PortNumber(), "").Send(ctx, mail)
			if err == nil || errors.Is(err, ErrRejected) {
				t.Fatalf("Send = %v, want a temporary failure", err)
			}
			var serr *gomail.SendError
			if !errors.As(err, &serr) || serr.Reason != gomail.ErrSMTPRcptTo || fmt.Sprint(serr.ErrorCode()) != reply[:3] {
				t.Fatalf("Send = %v, want the server's answer %q to RCPT TO", err, reply)
			}
		})
	}

	t.Run("ErrServerDown", func(t *testing.T) {
		err := localSender(t, freePort(t), "").Send(ctx, mail)
		if err == nil || errors.Is(err, ErrRejected) {
			t.Fatalf("Send = %v, want a temporary failure", err)
		}
	})

	t.Run("ErrMandatoryTLSNotOffered", func(t *testing.T) {
		t.Parallel() // go-mail leaves the connection open on this failure; the fake waits a second for it at Stop
		srv := startSMTP(t, 0, nil)
		err := localSender(t, srv.PortNumber(), "?tls=mandatory").Send(ctx, mail)
		if err == nil {
			t.Fatal("sent over a connection without TLS")
		}
		if n := len(delivered(t, srv)); n != 0 {
			t.Fatalf("server accepted %d messages", n)
		}
	})

	t.Run("ErrAuthNotOfferedHidesPassword", func(t *testing.T) {
		t.Parallel() // go-mail leaves the connection open on this failure; the fake waits a second for it at Stop
		srv := startSMTP(t, 0, nil)
		s, err := NewSMTPSender(fmt.Sprintf("smtp://portal:s3cr3t@127.0.0.1:%d", srv.PortNumber()), testFrom)
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(ctx, mail)
		if err == nil {
			t.Fatal("sent without the configured authentication")
		}
		if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(s.String(), "s3cr3t") {
			t.Fatalf("password shown: %v / %s", err, s)
		}
		if n := len(delivered(t, srv)); n != 0 {
			t.Fatalf("server accepted %d messages", n)
		}
	})
}
