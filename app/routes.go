package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes registers every route of the portal with who may use it. Pages are served in
// Vietnamese at the path and in English under /en; every GET also answers HEAD.
func (s *Server) routes(e *echo.Echo) {
	const get, post = http.MethodGet, http.MethodPost

	// Operations.
	s.handle(e, get, "/healthz", anyone, s.health)
	s.handle(e, get, "/readyz", anyone, s.ready)
	s.handle(e, get, "/metrics", operator, s.metricsPage)

	// JSON API, shared by the public pages and later the buyer tools.
	s.handle(e, get, "/api/v1/suppliers", anyone, s.apiSuppliers)
	s.handle(e, get, "/api/v1/suppliers/:id", anyone, s.apiSupplier)
	s.handle(e, get, "/api/v1/taxonomy", anyone, s.apiTaxonomy)
	s.handle(e, get, "/api/v1/suggest", anyone, s.apiSuggest)
	s.handle(e, get, "/api/v1/openapi.json", anyone, s.apiOpenAPI)
	s.handle(e, post, "/api/v1/match", anyone, s.apiMatch) // reads only: see readOnlyPosts

	// Assets and crawler files.
	s.handle(e, get, "/static/*", anyone, s.static)
	s.handle(e, get, "/robots.txt", anyone, s.robots)
	s.handle(e, get, "/sitemap.xml", anyone, s.sitemap)
	s.handle(e, get, "/sitemap-:part", anyone, s.sitemapPart) // /sitemap-2.xml, when the sitemap is split

	// Public pages.
	s.handle(e, get, "/", anyone, s.homePage)
	s.handle(e, get, "/search", anyone, s.searchPage)
	s.handle(e, get, "/find-suppliers", anyone, s.sourcingPage)
	s.handle(e, get, "/suppliers/:slug", anyone, s.supplierPage)
	s.handle(e, get, "/browse", anyone, s.browseIndexPage)
	s.handle(e, get, "/browse/:kind/:code", anyone, s.browsePage)
	s.handle(e, get, "/about", anyone, s.aboutPage)
	s.handle(e, get, "/search/suggest", anyone, s.suggestFragment)

	// Signing in and out, accounts.
	s.handle(e, get, "/login", anyone, s.loginPage)
	s.handle(e, post, "/login", anyone, s.login)
	s.handle(e, post, "/logout", signedIn, s.logout)
	s.handle(e, get, "/signup", anyone, s.signupPage)
	s.handle(e, post, "/signup", anyone, s.signup)
	s.handle(e, get, "/setup", anyone, s.setupPage)
	s.handle(e, post, "/setup", anyone, s.setup)
	s.handle(e, get, "/password/forgot", anyone, s.forgotPage)
	s.handle(e, post, "/password/forgot", anyone, s.forgot)
	s.handle(e, get, "/password/reset", anyone, s.resetPage)
	s.handle(e, post, "/password/reset", anyone, s.reset)
	s.handle(e, get, "/account/verify", anyone, s.verifyPage)
	s.handle(e, post, "/account/verify", anyone, s.verify)
	s.handle(e, get, "/account", signedIn, s.accountPage)
	s.handle(e, post, "/account/verify/resend", signedIn, s.resendVerification)
	s.handle(e, post, "/account/password", signedIn, s.changePassword)
	s.handle(e, post, "/account/email", signedIn, s.changeEmail)
	s.handle(e, get, "/account/email/confirm", anyone, s.confirmEmailPage)
	s.handle(e, post, "/account/email/confirm", anyone, s.confirmEmail)
	s.handle(e, get, "/account/sessions", signedIn, s.sessionsPage)
	s.handle(e, post, "/account/sessions/end-others", signedIn, s.endOtherSessions)

	// Supplier firms: their members keep the profile; suppliers claim or propose firms.
	s.handle(e, get, "/account/firms/:firm/edit", member, s.editProfilePage)
	s.handle(e, post, "/account/firms/:firm/edit", member, s.saveProfile)
	s.handle(e, post, "/account/firms/:firm/certificates/:cert/scans", member, s.uploadScan)
	s.handle(e, get, "/account/scans/:scan", signedIn, s.scanFile)
	s.handle(e, get, "/account/firms/:firm/members", member, s.membersPage)
	s.handle(e, post, "/account/firms/:firm/members", member, s.addMember)
	s.handle(e, post, "/account/firms/:firm/members/:user/remove", member, s.removeMember)
	s.handle(e, get, "/account/firms/:firm/history", member, s.historyPage)
	s.handle(e, get, "/account/claims/new", supplier, s.claimPage)
	s.handle(e, post, "/account/claims", supplier, s.claimFirm)
	s.handle(e, get, "/account/claims/confirm", anyone, s.claimConfirmPage)
	s.handle(e, post, "/account/claims/confirm", anyone, s.claimConfirm)
	s.handle(e, get, "/account/propose", supplier, s.proposePage)
	s.handle(e, post, "/account/propose", supplier, s.propose)

	// Buyers: shortlists, comparison, requests for quotation (RFQs), saved searches. Threads
	// are read and answered by both parties (the store decides who is which); a firm's inbox
	// lists the RFQs sent to it; the link in an alert stops it without signing in.
	s.handle(e, get, "/account/shortlists", buyer, s.shortlistsPage)
	s.handle(e, post, "/account/shortlists", buyer, s.createShortlist)
	s.handle(e, post, "/account/shortlists/add", buyer, s.addToShortlist)
	s.handle(e, get, "/account/shortlists/:list", buyer, s.shortlistPage)
	s.handle(e, post, "/account/shortlists/:list/delete", buyer, s.deleteShortlist)
	s.handle(e, post, "/account/shortlists/:list/items/:item", buyer, s.changeShortlistItem)
	s.handle(e, get, "/account/shortlists/:list/compare", buyer, s.comparePage)
	s.handle(e, get, "/account/shortlists/:list/export", buyer, s.exportShortlist)
	s.handle(e, get, "/account/rfqs", buyer, s.rfqsPage)
	s.handle(e, get, "/account/rfqs/new", buyer, s.newRFQPage)
	s.handle(e, post, "/account/rfqs", buyer, s.sendRFQ)
	s.handle(e, get, "/account/rfqs/:rfq", buyer, s.rfqPage)
	s.handle(e, get, "/account/threads/:thread", signedIn, s.threadPage)
	s.handle(e, post, "/account/threads/:thread", signedIn, s.replyThread)
	s.handle(e, post, "/account/threads/:thread/report", signedIn, s.reportThread)
	s.handle(e, post, "/account/threads/:thread/nda", signedIn, s.acceptNDA)
	s.handle(e, get, "/account/threads/:thread/files/:file", signedIn, s.rfqFile)
	s.handle(e, get, "/account/firms/:firm/inbox", member, s.inboxPage)
	s.handle(e, get, "/account/searches", buyer, s.savedSearchesPage)
	s.handle(e, post, "/account/searches", buyer, s.saveSearch)
	s.handle(e, post, "/account/searches/:search", buyer, s.changeSavedSearch)
	s.handle(e, get, "/alerts/unsubscribe", anyone, s.unsubscribePage)
	s.handle(e, post, "/alerts/unsubscribe", anyone, s.unsubscribe)
	// Business-matching events: the public pages, registration, meeting requests and agendas.
	// Each page acts as one of the account's registrations (?as=ID); the store refuses others'.
	s.handle(e, get, "/events", anyone, s.eventsPage)
	s.handle(e, get, "/events/:event", anyone, s.eventPage)
	s.handle(e, get, "/events/:event/register", signedIn, s.registerPage)
	s.handle(e, post, "/events/:event/register", signedIn, s.register)
	s.handle(e, get, "/events/:event/requests", signedIn, s.requestsPage)
	s.handle(e, post, "/events/:event/requests", signedIn, s.requestMeeting)
	s.handle(e, post, "/events/:event/requests/:req/answer", signedIn, s.answerRequest)
	s.handle(e, get, "/events/:event/agenda", signedIn, s.agendaPage)
	s.handle(e, get, "/events/:event/agenda.ics", signedIn, s.agendaICS)
	s.handle(e, get, "/events/:event/badge", signedIn, s.badgePage)
	s.handle(e, get, "/events/:event/outcomes", signedIn, s.outcomesPage)
	s.handle(e, post, "/events/:event/meetings/:meeting/outcome", signedIn, s.recordOutcome)

	// Staff area of the Department: the review queue and its decisions.
	s.handle(e, get, "/staff", staff, s.staffHome)
	s.handle(e, get, "/staff/queue", staff, s.staffQueue)
	s.handle(e, post, "/staff/claims/:id", staff, s.staffDecideClaim)
	s.handle(e, post, "/staff/certificates/:cert", staff, s.staffDecideCertificate)
	s.handle(e, post, "/staff/firms/:firm/review", staff, s.staffReviewFirm)
	s.handle(e, get, "/staff/firms/:firm", staff, s.staffFirm)
	s.handle(e, get, "/staff/firms/:firm/history", staff, s.staffFirmHistory)
	s.handle(e, get, "/staff/rfqs", staff, s.staffRFQs)
	s.handle(e, post, "/staff/rfqs/:thread/forwarded", staff, s.markForwarded)

	// Staff area: the programme dashboard, its targets and exports.
	s.handle(e, get, "/staff/dashboard", staff, s.staffDashboard)
	s.handle(e, post, "/staff/dashboard/targets/:target", staff, s.staffTargetSave)
	s.handle(e, get, "/staff/dashboard/export", staff, s.staffDashboardExport)
	s.handle(e, get, "/staff/dashboard/report", staff, s.staffDashboardReport)
	s.handle(e, get, "/staff/dashboard/spcncl/:year", staff, s.staffDashboardRecognised)
	s.handle(e, post, "/staff/dashboard/nudge/:firm", staff, s.staffDashboardNudge)

	// Staff area: the audit log.
	s.handle(e, get, "/staff/audit", staff, s.staffAudit)
	s.handle(e, get, "/staff/audit.csv", staff, s.staffAuditCSV)

	// Staff area: import and export of the firm lists.
	s.handle(e, get, "/staff/import", staff, s.staffImportPage)
	s.handle(e, post, "/staff/import", staff, s.staffImportPreview)
	s.handle(e, post, "/staff/import/apply", staff, s.staffImportApply)
	s.handle(e, get, "/staff/export", staff, s.staffExport)

	// Staff area: taxonomy and reference data.
	s.handle(e, get, "/staff/taxonomy", staff, s.staffTaxonomy)
	s.handle(e, get, "/staff/taxonomy/:code", staff, s.staffTermPage)
	s.handle(e, post, "/staff/taxonomy/:code", staff, s.staffTermSave)
	s.handle(e, get, "/staff/reference", staff, s.staffReference)
	s.handle(e, post, "/staff/reference/zones/:code", staff, s.staffZoneSave)
	s.handle(e, post, "/staff/reference/corridors/:code", staff, s.staffCorridorSave)

	// Staff area: events, their registrations and the schedule.
	s.handle(e, get, "/staff/events", staff, s.staffEvents)
	s.handle(e, get, "/staff/events/new", staff, s.staffEventNew)
	s.handle(e, post, "/staff/events", staff, s.staffEventCreate)
	s.handle(e, get, "/staff/events/:event", staff, s.staffEvent)
	s.handle(e, get, "/staff/events/:event/edit", staff, s.staffEventEdit)
	s.handle(e, post, "/staff/events/:event/edit", staff, s.staffEventUpdate)
	s.handle(e, post, "/staff/events/:event/registrations/:reg", staff, s.staffDecideRegistration)
	s.handle(e, get, "/staff/events/:event/schedule", staff, s.staffSchedule)
	s.handle(e, post, "/staff/events/:event/schedule/run", staff, s.staffRunSchedule)
	s.handle(e, post, "/staff/events/:event/schedule/publish", staff, s.staffPublishSchedule)
	s.handle(e, post, "/staff/events/:event/meetings/:meeting/lock", staff, s.staffLockMeeting)
	s.handle(e, get, "/staff/events/:event/meetings/:meeting/move", staff, s.staffMovePage)
	s.handle(e, post, "/staff/events/:event/meetings/:meeting/move", staff, s.staffMoveMeeting)
	// The fair day: badges, the check-in desk, meetings held or missed, and the results.
	s.handle(e, get, "/staff/events/:event/badges", staff, s.staffBadges)
	s.handle(e, post, "/staff/events/:event/badges", staff, s.staffIssueBadges)
	s.handle(e, get, "/staff/events/:event/day", staff, s.staffDay)
	s.handle(e, post, "/staff/events/:event/checkin", staff, s.staffCheckIn)
	s.handle(e, post, "/staff/events/:event/meetings/:meeting/status", staff, s.staffMarkMeeting)
	s.handle(e, get, "/staff/events/:event/meetings/:meeting/offer", staff, s.staffOfferPage)
	s.handle(e, post, "/staff/events/:event/meetings/:meeting/offer", staff, s.staffOfferSlot)
	s.handle(e, get, "/staff/events/:event/results", staff, s.staffResults)
	s.handle(e, get, "/staff/events/:event/results/export", staff, s.staffResultsExport)

	// Staff area: accounts, for admins.
	s.handle(e, get, "/staff/accounts", admin, s.staffAccounts)
	s.handle(e, post, "/staff/accounts/invite", admin, s.staffInvite)
	s.handle(e, post, "/staff/accounts/:user/role", admin, s.staffSetRole)
	s.handle(e, post, "/staff/accounts/:user/disable", admin, s.staffDisable)
	s.handle(e, post, "/staff/accounts/:user/sessions/end", admin, s.staffEndSessions)
}

func withLang(lang string, h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set(langKey, lang)
		return h(c)
	}
}

const langKey = "lang"

// localPath is the path of a page in lang: "/suppliers/x" or "/en/suppliers/x".
func localPath(lang, path string) string {
	if lang != "en" {
		return path
	}
	if path == "/" {
		return "/en/"
	}
	return "/en" + path
}
