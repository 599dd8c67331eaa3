# Saha: English words. Fluent syntax, compiled into the app by app/build.rs.
# Messages looked up by a code are named <family>-<code> (kind-account, field-city, refused-read_only).
# Both files must hold the same messages with the same variables, or the build fails.

## app
search = Search
name = Name
cancel = Cancel
edit = Edit
loading = Loading…
offline = Offline
connecting = Connecting
syncing = Syncing
synced = Synced
language = Language
password = Password
settings = Settings
members = Members
role = Role
teams = Teams
department = Department
invite = Invite
invitations = Invitations
revoked = Revoked
accepted = Accepted
expired = Expired
active = Active
disable = Disable
enable = Enable
when = When
who = Who
action = Action
target = Target
details = Details
saved = Saved
pending = { $count } pending
refused_changes = { $count ->
        [one] The server did not accept one of your changes:
       *[other] The server did not accept { $count } of your changes:
    }
incoming = { $count ->
        [one] { $count } record arriving
       *[other] { $count } records arriving
    }
downloading = { $done } / { $total } records downloaded
record-count = { $count ->
        [one] { $count } record
       *[other] { $count } records
    }

## accept
accept-invitation = Accept invitation

## add
add-team = Add team

## api_error
api_error-invalid_credentials = Wrong email or password.
api_error-rate_limited = Too many failed attempts. Try again later.
api_error-weak_password = The password needs at least 10 characters.
api_error-password_too_long = The password can have at most 128 characters.
api_error-invalid_email = Enter a valid email address.
api_error-email_taken = That email address already belongs to a member.
api_error-email_mismatch = This invitation is for another email address.
api_error-invitation_invalid = This invitation link is no longer valid.
api_error-already_set_up = This server already has a workspace; log in.
api_error-forbidden = Your role does not allow this.
api_error-last_owner = A workspace keeps at least one owner.
api_error-own_access = You cannot change your own role or disable yourself.
api_error-team_exists = A team with that name exists.
api_error-invalid_input = Some input is missing or invalid.
api_error-network = Could not reach the server. Check your connection.
api_error-unauthorized = Your session ended; log in again.
api_error-bad_origin = This request came from another site and was refused; open the app at its own address.
api_error-invalid_ticket = The sync connection could not be opened; reload the page.
api_error-invalid_token = The API token is missing, wrong or revoked.
api_error-insufficient_scope = The API token's scopes do not allow this.
api_error-validation_failed = Some fields need attention.
api_error-change_refused = The change was refused by the workspace's rules.
api_error-unknown_field = The record has no such field.
api_error-payload_too_large = The request is too large.
api_error-quota_exceeded = The workspace's storage for attachments is full; remove old files or ask an admin.
api_error-unsupported_media_type = Saha does not keep files of this type (photos, voice notes, PDF, office and text files are kept).
api_error-hash_mismatch = The file arrived damaged; it will be sent again.
api_error-upload_incomplete = The file has not finished uploading yet.
api_error-not_found = Not found.
api_error-bad_answer = The server's answer could not be read; update the app.
api_error-internal = The server could not complete the request.

## audit
audit-log = Audit log

## call
call-prompt = Finished your call? Log it.

## category
category-complaint = Complaint
category-request = Request
category-wish = Wish

## change
change-password = Change password

## channel
channel-phone = Phone
channel-email = Email
channel-web = Web
channel-kiosk = Kiosk
channel-social = Social media
channel-in_person = In person
channel-MESAJ = SMS
channel-EPOSTA = Email
channel-ARAMA = Call

## consent
consent-ONAY = Consent
consent-RET = Refusal
consent-none = No consent
consent-merchant = Merchant: no consent needed

## create
create-workspace = Create workspace

## currency
currency-TRY = TRY (₺)
currency-USD = USD ($)
currency-EUR = EUR (€)

## current
current-password = Current password

## customer_type
customer_type-potential = Potential
customer_type-new = New
customer_type-current = Current
customer_type-former = Former
customer_type-target = Target

## delivery
delivery-queued = Queued
delivery-sent = Sent
delivery-failed = Failed
delivery-uncertain = Uncertain (the server stopped while sending)

## dept
dept-sales = Sales
dept-service = Service
dept-marketing = Marketing
dept-accounting = Accounting
dept-finance = Finance
dept-rnd = R&D

## direction
direction-outgoing = Outgoing
direction-incoming = Incoming

## edit

## email
email-optional = Email (optional; only this address may accept)

## field
field-subject = Subject
field-channel = Channel
field-priority = Priority
field-resolution = Resolution
field-satisfaction = Satisfaction (1–5)
field-direction = Direction
field-started = Started
field-duration = Duration (m:ss)
field-outcome = Outcome
field-follow_up = Follow up at
field-due = Due
field-link = Related record
field-remind = Remind
field-calendar = Calendar
field-start = Start
field-end = End
field-time_zone = Time zone
field-location = Location
field-contacts = Contacts attending
field-members = Members attending
field-recurrence = Repeats
field-agenda = Agenda
field-minutes = Minutes
field-customer_type = Customer type
field-account_segment = Account segment
field-ordered_since = Last order on or after
field-min_revenue = Minimum revenue (₺)
field-satisfaction_group = Satisfaction group
field-email_topic = Email topic
field-template = Message template
field-survey = Survey
field-loyalty_tier = Loyalty tier
field-abc_class = ABC class (by margin)
field-min_margin = Minimum gross margin (TRY)
field-annual_potential = Annual purchasing potential (TRY)
field-loyalty_group = Satisfaction–loyalty group
field-retention = Retention
field-bought_product = Bought the product
field-not_bought_product = Has not bought the product
field-rfm_recency = RFM recency (how recently they bought)
field-rfm_frequency = RFM frequency (how often they buy)
field-rfm_monetary = RFM money (how much they bring)
field-name = Name
field-party = Company or person
field-type = Customer type
field-relation = Relation
field-segment = Segment
field-phone = Phone
field-mobile = Mobile
field-email = Email
field-city = City
field-address = Address
field-tax_office = Tax office
field-tax_number = Tax number (VKN / TCKN)
field-legal_name = Legal name
field-iban = IBAN
field-logo = Logo
field-birthday = Birthday
field-tags = Tags (comma separated)
field-team = Team
field-owner = Owner
field-notes = Notes
field-account = Account
field-title = Title / role
field-company = Company
field-topic = Interested in
field-estimated_amount = Estimated amount
field-currency = Currency
field-source = Source
field-status = Status
field-disqualified_reason = Reason for disqualifying
field-contact = Contact
field-stage = Stage
field-amount = Amount
field-close_date = Expected close
field-lost_reason = Reason lost
field-sku = SKU
field-unit_price = Unit price (before VAT)
field-unit_cost = Unit cost (before VAT; for the margin)
field-vat = VAT (KDV) rate
field-category = Category
field-opportunity = Opportunity
field-valid_until = Valid until
field-due_date = Due date
field-description = Description
field-quantity = Quantity
field-discount = Discount %
field-number = Invoice no.
field-call-number = Phone number
field-opportunity-name = Deal name
field-product-name = Product name
field-campaign-name = Campaign name
field-campaign-subject = E-mail subject
field-campaign-email_topic = İYS topic (who consented to it gets the e-mail)
field-segment-name = Segment name
field-issue_date = Issue date
field-order_date = Order date
field-order-number = Order no.
field-line_product = Line: product (SKU or name)
field-line_description = Line: description
field-line_quantity = Line: quantity
field-line_unit_price = Line: unit price (before VAT)
field-line_discount = Line: discount %
field-line_vat = Line: VAT (KDV) rate
field-line_unit_cost = Line: unit cost

## form
form-has-errors = Some fields need fixing. What you typed is kept.

## gate
gate-no_consent = No consent
gate-refused = Refused
gate-topic = Not subscribed to this topic
gate-no_address = No address for this channel
gate-cool_off = Contacted within the rest period
gate-quiet_hours = Quiet hours: nothing goes out now

## invitation
invitation-title = Invitation
invitation-link = Invitation link — send it to the person you invite:

## invited
invited-as = Your role

## iys
iys-MESAJ = SMS
iys-ARAMA = Call
iys-EPOSTA = Email

## kind
kind-account = Account
kind-contact = Contact
kind-lead = Lead
kind-opportunity = Opportunity
kind-quote = Quote
kind-order = Order
kind-invoice = Invoice
kind-product = Product
kind-case = Case
kind-call = Call
kind-task = Task
kind-meeting = Meeting
kind-segment = Segment
kind-campaign = Campaign

## kinds
kinds-account = Accounts
kinds-contact = Contacts
kinds-case = Cases
kinds-call = Calls
kinds-task = Tasks
kinds-meeting = Meetings
kinds-segment = Segments
kinds-campaign = Campaigns
kinds-lead = Leads
kinds-opportunity = Opportunities
kinds-quote = Quotes
kinds-order = Orders
kinds-invoice = Invoices
kinds-product = Products

## log
log-in = Log in
log-out = Log out

## login
login-title = Log in to Saha

## new
new-account = New account
password-new = New password
new-contact = New contact
new-lead = New lead
new-opportunity = New opportunity
new-quote = New quote
new-order = New order
new-invoice = New invoice
new-product = New product
new-case = New case
new-call = Log a call
new-task = New task
new-meeting = New meeting
new-segment = New segment
new-campaign = New campaign

## no
no-matches = No record matches your search.
no-team = No team (everyone sees it)

## offline
offline-no-session = You are offline and this device has no open session. Log in once you are connected.

## outcome
outcome-reached = Reached
outcome-no_answer = No answer
outcome-busy = Busy
outcome-call_back = Call back

## page
page-not-found = Page not found.
page-not-loaded = This page could not be loaded: it has not been stored on this device yet and the server cannot be reached. Try again when you are online.

## party
party-company = Company
party-person = Person

## password
password-changed = Password changed; sessions on other devices were ended.
password-rule = At least 10 characters.

## priority
priority-urgent = Urgent
priority-high = High
priority-normal = Normal
priority-low = Low

## problem
problem-required = This field is required.
problem-too_long = At most { $max } characters.
problem-invalid_email = Enter a valid email address, for example name@company.com.
problem-invalid_phone = Enter a valid phone number, for example +90 532 123 45 67.
problem-invalid_vkn = A tax number (VKN) has 10 digits and a matching check digit.
problem-invalid_tckn = An identity number (TCKN) has 11 digits, does not start with 0 and has matching check digits.
problem-invalid_date = Enter a valid date.
problem-invalid_number = Enter zero or a positive number, for example 1250.50.
problem-invalid_choice = Pick one of the options.
problem-percent_out_of_range = The percentage must be between 0 and 100.
problem-locked = This field can no longer change (an issued invoice, an accepted or rejected quote).
problem-invalid_date_time = Enter a valid date and time.
problem-unknown_time_zone = Unknown time zone; write e.g. Europe/Istanbul.
problem-end_before_start = The end must be after the start.
problem-invalid_recurrence = The repeat rule cannot be read (e.g. FREQ=WEEKLY;BYDAY=MO;COUNT=10).
problem-invalid_template = The template has an unknown field or an unclosed {"{{"}; available: {"{{"}first_name{"}}"}, {"{{"}name{"}}"}, {"{{"}company{"}}"}, {"{{"}city{"}}"}.
problem-number_out_of_range = Enter a value between { $min } and { $max }.
problem-invalid_iban = Enter a valid IBAN, for example TR33 0006 1005 1978 6457 8413 26.
problem-invalid_image = Choose a PNG, JPEG, WebP or SVG image of at most 70 KB.

## read
read-only-note = Your role is read-only: you can view records but not change them.

## record
record-not-found = This record is not on this device; if sync is running it will appear shortly.

## refused
refused-quote_not_accepted = The quote must be accepted before an order is made.
refused-not_a_quote = This is not a quote.
refused-not_an_order = This is not an order.
refused-not_an_invoice = This is not an invoice.
refused-order_cancelled = A cancelled order cannot be invoiced.
refused-lead_already_converted = This lead was converted already.
refused-lead_disqualified = A disqualified lead cannot be converted.
refused-invoice_already_issued = The invoice was issued already.
refused-invoice_has_no_lines = An invoice needs at least one line.
refused-invoice_lines_invalid = A line cannot be priced; fix it before issuing.
refused-lines_locked = Lines of an issued invoice, an invoiced or cancelled order or an accepted or rejected quote cannot change.
refused-no_index = The workspace has not reached this device yet; try again once online.
refused-no_numbers = No invoice numbers left on this device; go online to get more.
refused-quote_not_revisable = Only a quote that was sent, accepted or rejected gets a new version.
refused-opportunity_not_won = An order is made from an opportunity once it is won.
refused-invoice_not_issued = Only an issued invoice can be marked paid.
refused-quote_locked = An accepted or rejected quote does not change: make a new version instead.
refused-read_only = Your role can only read.
refused-not_visible = This record is not visible to you.
refused-team_change = Your role cannot move the record to this team.
refused-owner_change = Your role cannot change the record's owner.
refused-kind_change = A record's kind cannot change.
refused-unreadable = The record is not in the expected form.
refused-server_only_field = Only the server writes this field.
refused-fixed_field = This field is set when the record is created and never changes.
refused-set_once_field = This field was set once and cannot change.
refused-admins_only_field = Only owners and admins delete records or take them out of the bin.
refused-append_only_field = Entries can only be added to this log.
refused-locked_field = This field cannot change in the record's current status.
refused-invalid_format = An e-mail address or phone number is not valid.
refused-document_too_large = The record is larger than allowed.
refused-index_created = The workspace index is created by the server only.
refused-index_change = Only records can be added to the index.
refused-index_lists_team_record = The index lists only shared records.
refused-foreign_history = This record was rebuilt after a person was erased; changes made to the old copy are not taken.
refused-campaign_approval = Only owners, admins and managers approve campaigns.
refused-campaign_withdrawal = Only those who approve campaigns can withdraw an approval.
refused-campaign_hand_over = Only the server hands a campaign over for sending.
refused-quote_acceptance = Your role cannot mark a quote accepted.
refused-invoice_issue = Your role cannot issue invoices or change their status.
refused-case_closure = Your role cannot resolve or close a case.
refused-not_a_record = This document is not a record.

## relation
relation-external = External customer
relation-internal = Internal customer

## remind
remind-0 = At the due time
remind-15 = 15 min before
remind-60 = 1 hour before
remind-1440 = 1 day before

## repeat
repeat-none = Does not repeat
repeat-daily = Daily
repeat-weekdays = Every weekday
repeat-weekly = Weekly
repeat-biweekly = Every two weeks
repeat-monthly = Monthly
repeat-custom = Custom rule
repeat-yearly = Yearly
repeat-every_days = Every { $n } days
repeat-every_weeks = Every { $n } weeks
repeat-every_months = Every { $n } months
repeat-every_years = Every { $n } years
repeat-nth_weekday = the { $n ->
        [1] 1st
        [2] 2nd
        [3] 3rd
       *[other] { $n }th
    } { $day } of the month
repeat-last_weekday = the last { $day } of the month
repeat-on_month_day = on day { $day } of the month
repeat-times = { $n ->
        [one] once
       *[other] { $n } times
    }
repeat-until = until { $date }

## report
report-cases = Cases
report-open = Open cases
report-first_response = Mean first response (working time)
report-resolution = Mean resolution (working time)
report-breach_rate = SLA breach rate
report-satisfaction = Mean satisfaction
report-open_by_age = Open cases by age
report-age_bucket = Age
report-age-lt1 = Under 1 day
report-age-1to3 = 1–3 days
report-age-3to7 = 3–7 days
report-age-ge7 = 7 days or more
report-calls = Calls per agent per day (last 7 days)
report-day = Day
report-total_time = Total time
report-mean_time = Mean time
report-nps = NPS (answers)

## role
role-owner = Owner
role-admin = Admin
role-manager = Manager
role-sales_rep = Sales rep
role-service_agent = Service agent
role-read_only = Read-only

## satisfaction
satisfaction-1 = 1 — Very unhappy
satisfaction-2 = 2
satisfaction-3 = 3
satisfaction-4 = 4
satisfaction-5 = 5 — Very happy

## satisfaction_group
satisfaction_group-satisfied = Satisfied (4–5)
satisfaction_group-neutral = Neutral (2.5–4)
satisfaction_group-unhappy = Unhappy (below 2.5)

## loyalty_group
loyalty_group-dangerous = Dangerous (dissatisfied, disloyal)
loyalty_group-captive = Captive (loyal, dissatisfied)
loyalty_group-mercenary = Mercenary (satisfied, not loyal)
loyalty_group-advocate = Advocate (satisfied, loyal)
loyalty_group-no_data = No satisfaction data

## retention
retention-at_risk = At risk (overdue)
retention-silent = Silent (no sale for long)
rfm_recency-low = Low (score 1–2)
rfm_recency-mid = Middle (score 3)
rfm_recency-high = High (score 4–5)
rfm_frequency-low = Low (score 1–2)
rfm_frequency-mid = Middle (score 3)
rfm_frequency-high = High (score 4–5)
rfm_monetary-low = Low (score 1–2)
rfm_monetary-mid = Middle (score 3)
rfm_monetary-high = High (score 4–5)

## abc_class
abc_class-A = A — most profitable (first 80% of margin)
abc_class-B = B — middle (next 15%)
abc_class-C = C — barely profitable or loss-making

## save
save-failed = Could not save; what you typed is kept

## search
search-placeholder = Name, city, phone or email

## session
session-expired = Your session ended. Your changes are kept on this device; log in again to sync them.

## set
set-up-title = Set up Saha
set-up-intro = Create the first workspace and its owner's account.

## show

## sla
sla-title = Service level (SLA)
sla-first_response = First response
sla-resolution = Resolution
sla-used = Used / target
sla-due = Due
sla-state-running = Running
sla-state-warning = Nearly due
sla-state-paused = Paused (waiting on customer)
sla-state-met = Met
sla-state-breached = Breached
sla-breached = SLA breached: this case is escalated.
sla-near = 80 % of the SLA time is used; prioritise this case.
sla-escalated = Escalated

## source
source-HS_FIZIKSEL_ORTAM = In person
source-HS_ISLAK_IMZA = Wet signature
source-HS_WEB = Website
source-HS_CAGRI_MERKEZI = Call centre
source-HS_SOSYAL_MEDYA = Social media
source-HS_EPOSTA = Email
source-HS_MESAJ = SMS
source-HS_MOBIL = Mobile app
source-HS_EORTAM = Electronic
source-HS_KARAR = Court or authority decision
source-web = Website
source-referral = Referral
source-event = Event / fair
source-cold_call = Cold call
source-campaign = Campaign
source-partner = Partner
source-other = Other

## stage
stage-prospecting = Prospecting
stage-qualification = Qualification
stage-proposal = Proposal
stage-negotiation = Negotiation
stage-won = Won
stage-lost = Lost

## status
status-waiting = Waiting on customer
status-resolved = Resolved
status-closed = Closed
status-done = Done
status-confirmed = Confirmed
status-tentative = Tentative
status-approved = Approved
status-new = New
status-working = Working
status-qualified = Qualified
status-disqualified = Disqualified
status-converted = Converted
status-draft = Draft
status-sent = Sent
status-accepted = Accepted
status-rejected = Rejected
status-open = Open
status-delivered = Delivered
status-invoiced = Invoiced
status-revised = Revised
status-cancelled = Cancelled
status-issued = Issued
status-paid = Paid
status-overdue = Overdue

## storage
storage-failed = The data store on this device could not be opened

## survey
survey-csat = Satisfaction (1–5)
survey-nps = Recommendation (NPS, 0–10)

## sync
sync-status = Sync status

## team
team-name = Team name

## type
type-potential = Potential
type-new = New
type-current = Current
type-former = Former
type-target = Target

## ui
ui-dismiss = Dismiss
ui-sms = Send SMS
ui-my_day = My day
ui-no_tasks = No tasks for today.
ui-today_meetings = Today's meetings
ui-no_meetings = No meetings.
ui-my_cases = My open cases
ui-no_cases = No open cases.
ui-overdue = Overdue
ui-reminder = Reminder
ui-enable_notifications = Allow notifications for reminders
ui-calendar = Calendar
ui-my_calendar = My calendar
ui-try_again = Try again
ui-view_day = Day
ui-view_week = Week
ui-view_agenda = Agenda (30 days)
ui-today = Today
ui-subscriptions = Calendar subscription (ICS)
ui-subscriptions_hint = Add this address to Google, Apple or Outlook calendar. It is secret: do not share it, and revoke it when needed.
ui-subscribe = Create subscription address
ui-revoke = Revoke
ui-download_ics = Add to calendar (.ics)
ui-open_map = Open map
ui-service_settings = Service settings
ui-company_details = Company details
ui-company_details_hint = Printed at the top of every quote and invoice.
ui-admins_only = Only admins can change this page.
ui-working_hours = Working hours
ui-national_holidays = National holidays (1 Jan, 23 Apr, 1 May, 19 May, 15 Jul, 30 Aug, 28–29 Oct) are days off
ui-holidays = Other holidays (one date per line; half day: 2026-05-26 13:00)
ui-sla_targets = SLA targets by priority (working minutes)
ui-frequency_guard = Contact-frequency guard
ui-guard_count = Most meetings/calls (0: off)
ui-guard_days = … within this many days
ui-save = Save
ui-saved = Saved.
ui-service_report = Service report
ui-segment_members = People in the segment
ui-audience = Audience and consent check
ui-audience_included = will receive it
ui-audience_excluded = left out
ui-no_segment = Choose a segment first.
ui-template_impersonal = The template does not address the person; use {"{"}{"{"}first_name{"}"}{"}"} rather than a blanket message.
ui-sms_length = { $chars } characters · { $segments } SMS (with the opt-out link)
ui-sms_gsm = GSM alphabet: 160 characters per SMS
ui-sms_unicode = Unicode (letters such as ş, ğ, ı): 70 characters per SMS
ui-insert_field = Insert a field
ui-no_email_topic = — not an e-mail —
placeholder-first_name = First name
placeholder-name = Full name
placeholder-company = Company
placeholder-city = City
placeholder-survey_link = Survey link
ui-contact_rules = Campaign contact rules
ui-cool_off_days = Rest after the last contact (days)
ui-quiet_hours = Quiet hours
ui-deliveries = Deliveries
ui-send_campaign = Approve sending
ui-confirm_send = The server will send the campaign to the people who consented. Go ahead?
ui-special_days = Special days
ui-special_days_hint = Birthdays and customer anniversaries in the next 7 days. Greetings are commercial messages too: they pass the consent check.
ui-no_special_days = No special days in the coming week.
ui-birthday = Birthday
ui-anniversary = Customer anniversary
ui-prepare_greeting = Prepare a greeting
ui-loyalty = Loyalty points
ui-points = points
ui-points_earned = earned in all
ui-points_negative = The balance is below zero: points may have been redeemed offline on two devices.
ui-redeem = Redeem
ui-redeem_note = What for (gift voucher…)
ui-ledger = Points ledger
ui-loyalty_rules = Loyalty programme
ui-loyalty_tiers = Tiers
ui-loyalty_members = Members
ui-loyalty_no_members = No account has loyalty points yet: paid invoices earn them.
ui-surveys = Surveys
ui-surveys_none = No surveys yet: send one from a resolved case or a delivered order.
ui-survey_asked = Asked
ui-survey_answered = Answered
ui-response_rate = Response rate
ui-csat = CSAT (mean, 1–5)
ui-satisfied_share = Satisfied (4–5)
ui-nps = NPS
ui-points_per_100 = Points per 100 ₺ paid
ui-tiers = Tiers (name:points, …)
ui-send_survey = Send a satisfaction survey
ui-responses = Survey answers
ui-included_heading = Recipients
ui-excluded_heading = Left out, and why
ui-consents = Contact consents (İYS)
ui-record_consent = Record consent or refusal
ui-recipient = Recipient (phone or email)
ui-evidence = Evidence (form no., recording…)
ui-email_topics = Email topics
ui-consent_log = Consent history
ui-uploaded = uploaded to İYS
ui-first_refusal = An individual's first record on a channel cannot be a refusal.
ui-iys_page = İYS consents
ui-iys_hint = Consents must reach İYS within 3 business days. Export, upload to İYS, then mark them uploaded.
ui-mark_uploaded = Mark as uploaded
ui-nothing_to_upload = Nothing to upload.
ui-iys_late = Deadline near
ui-iys_overdue = A consent of this person is at the end of its 3-business-day İYS upload window.
ui-service_settings_hint = Working hours and holidays drive SLA clocks and the İYS upload deadline.
ui-search_all = Search everything
ui-search_hint = Name, city, phone, email… (Ctrl+K)
ui-filter = Filter
ui-all = All
ui-sort = Sort
ui-sort_name = By name
ui-sort_newest = Newest first
ui-no_records = No records yet.
ui-pick = Type and pick
ui-clear = Clear
ui-convert = Convert to customer
ui-convert_title = Convert the lead
ui-convert_hint = The lead becomes an account, a contact and an opportunity. Where it looks recorded already, use the existing record: it keeps its values, and only what it lacks is filled in from the lead.
ui-convert_new = New
ui-convert_existing = Existing
ui-new_quote = Prepare a quote
ui-create_order = Create order
ui-create_invoice = Create invoice
ui-issue = Issue invoice
ui-mark_paid = Mark paid
ui-mark_sent = Mark sent
ui-revise_quote = New version
ui-order_from_deal = Create order
confirm-revise_quote = Make a new version of this quote? This one is kept as it is, marked revised, and the new one opens as a draft.
ui-accept = Accepted
ui-reject = Rejected
ui-print = Print / PDF
ui-lines = Lines
ui-add_line = Add line
ui-add_product = Add from catalog
ui-choose_product = Choose a product…
ui-remove = Remove
ui-edit_line = Edit
ui-line_total = Amount
ui-net = Subtotal
ui-vat_total = VAT
ui-gross = Total
ui-totals_invalid = A line cannot be priced; check the lines.
ui-timeline = Timeline
ui-related_records = Related
ui-consent_and_loyalty = Consent · loyalty
ui-account_360 = Parts of the account page
ui-pipeline = Pipeline
ui-forecast = Weighted forecast (by close month)
ui-month = Month
ui-count = Count
ui-weighted = Weighted
ui-total = Total
ui-no_date = No date
ui-drag_hint = Drag a card by its ⠿ handle onto a stage.
ui-drag_handle = Move
ui-created = created
ui-converted = converted to a customer
ui-merged_into = merged into
ui-save_line = Save line
ui-converted_into = Converted into
ui-lead_origin = From lead
ui-results = results
ui-customer = Customer
ui-earlier_version = Earlier version
ui-made_from = Made from
ui-date = Date
ui-settings_pipeline = Pipeline stages
ui-probability = Probability %
ui-add_stage = Add stage
ui-pipeline_note = Won and Lost always end every pipeline.
ui-field_locked = This field cannot be changed now.

## valid
valid-for-hours = Valid for (hours)

## vat
vat-20 = 20%
vat-10 = 10%
vat-1 = 1%

## weekday
weekday-0 = Monday
weekday-1 = Tuesday
weekday-2 = Wednesday
weekday-3 = Thursday
weekday-4 = Friday
weekday-5 = Saturday
weekday-6 = Sunday

## wipe
wipe-device = Also delete my data from this device (for shared devices)
wipe-warning = There are unsynced changes; deleting loses them.

## workspace
workspace-name = Workspace name (your company)
workspace-label = Workspace

## your
your-name = Your name

ui-undo = Undo
ui-task_done = Task done.

ui-calendar_view = View
ui-previous = Previous
ui-next = Next
ui-minutes_unit = min

ui-archive = Archive
ui-restore = Restore
ui-delete = Delete
confirm-delete_record = Delete this record for everyone? It leaves every list, search and report; owners and admins can restore it from the bin.
ui-deleted_toast = Deleted.
ui-attachments = Attachments
ui-attach_photo = Take a photo
ui-attach_file = Add a file
ui-attach_keep_original = Keep the original photo (with its location)
ui-attachments_none = Nothing is attached yet.
ui-attachment_waiting = Waiting to upload
ui-attachment_uploading = Uploading
ui-attachment_remove = Remove
ui-attachment_working = Preparing the file…
attachment-too-large = The file is larger than { $mb } MB, the most this server takes.
ui-attachment_not_kept = Saha does not keep files of this type (photos, voice notes, PDF, office and text files are kept).
ui-attachment_not_stored = The file could not be stored on this device.
ui-attachment_refused_too_large = The server did not take this file: it is larger than this server allows. It is only on this device.
ui-attachment_refused_type = The server did not take this file: it does not keep files of this type. It is only on this device.
ui-device_storage = Files on this device
ui-device_storage_hint = Photos, voice notes and documents are kept on this device so that they open offline too. Files waiting to be uploaded always stay; the others download again when opened.
ui-device_files = Files kept
ui-device_files_waiting = Waiting to be uploaded
ui-device_site_usage = What Saha uses in this browser
ui-keep_files = Files kept offline
ui-keep_files_all = All
ui-keep_files_none = Only those waiting to be uploaded
ui-keep_files_saved = Setting saved.
keep-files-days = Those opened in the last { $days } days
device-files-removed = { $count ->
    [one] One file was removed from this device.
   *[other] { $count } files were removed from this device.
}
ui-voice_record = Record a voice note
ui-voice_stop = Stop and attach
ui-voice_no_microphone = The microphone could not be opened; allow it for this site in the browser.
ui-bin = Bin
ui-api = API
ui-api_hint = Other systems (accounting, your web site, monitoring tools) read and write records through the REST API with a token. A token acts with the role and teams of the member it is for, limited to its scopes.
ui-api_docs = API reference
ui-api_secret_once = Copy this token now: it is shown only once.
ui-api_new_token = New token
ui-api_acts_as = Acts as member
ui-api_access = Access
ui-api_read = Read
ui-api_write = Read and write
ui-api_all_kinds = All record kinds
ui-api_privacy = Also the KVKK request log and access answers (privacy officers’ work; “all record kinds” does not include it)
ui-api_create = Create token
ui-api_tokens = Tokens
ui-api_none = No tokens yet.
ui-api_created = Created
ui-api_last_used = Last used
ui-api_never_used = never
ui-api_revoke = Revoke
ui-webhooks = Webhooks
ui-webhooks_hint = Saha posts each chosen event to the URL, signed with the subscription's secret (header Saha-Signature), and retries until it is accepted. A target that keeps failing is turned off.
ui-webhooks_none = No webhooks yet.
ui-webhook_url = Target URL
ui-webhook_all_events = All events
ui-webhook_create = Add webhook
ui-webhook_off = Turned off:
ui-webhook_turn_on = Turn on
ui-webhook_secret = Signing secret
ui-webhook_attempts = Recent deliveries
ui-webhook_delete = Delete
ui-web_forms = Web forms
ui-web_forms_hint = A form on your web site hands in leads, or complaints, requests and wishes as cases, straight into Saha. Embed it with the snippet, or link to its page. Spam is kept out with a hidden field, a minimum fill time, rate limits and the sites you allow.
ui-web_forms_none = No web forms yet.
ui-web_form_new = New web form
ui-web_form_target = Creates
ui-web_form_fields = Fields asked (the name is always asked)
ui-web_form_team = Team of new records
ui-web_form_whole_workspace = Whole workspace
ui-web_form_consents = Consent checkboxes
ui-web_form_consents_hint = Each ticked box is recorded in the İYS log with the wording, the time and the sender's address as evidence. The exact wording is shown beside the box.
ui-web_form_wording = Exact wording
ui-web_form_wording_eposta = I would like to hear about campaigns, announcements and offers by e-mail.
ui-web_form_wording_mesaj = I would like to hear about campaigns, announcements and offers by SMS.
ui-web_form_wording_arama = I agree to be called about campaigns, announcements and offers.
ui-web_form_thank_you = Thank-you text
ui-web_form_origins = Sites that may embed it (one per line)
ui-web_form_min_fill = Minimum fill time (seconds)
ui-web_form_create = Create form
ui-web_form_page = Open page
ui-web_form_snippet = Embed code
ui-web_form_problem_name = Give the form a name (at most 200 characters).
ui-web_form_problem_consent_on_case = Consent is recorded on leads: a complaint, request or wish form takes none.
ui-web_form_problem_consent_needs_field = A { $channel } consent needs the form to ask for { $field }.
ui-web_form_problem_consent_twice = Each channel's consent can be asked once.
ui-web_form_problem_wording = Each consent needs its exact wording (at most 2000 characters).
ui-web_form_problem_origin = "{ $origin }" is not a site address such as https://www.example.com.
ui-web_form_problem_thank_you = The thank-you text is too long (at most 2000 characters).
ui-bin_hint = Records owners and admins deleted. Restoring one brings it back for everyone.
ui-bin_empty = The bin is empty.
ui-deleted_on = Deleted
ui-archived_note = This record is archived: it does not show in lists or search.
ui-archived_toast = Record archived.
ui-show_archived = Show archived

ui-list_options = Filter and sort

## Confirmations
confirm-issue_invoice = Issue this invoice? It takes a number and its lines can no longer change.
confirm-redeem = { $points ->
        [one] Redeem one point? This cannot be undone.
       *[other] Redeem { $points } points? This cannot be undone.
    }
confirm-mark_uploaded = Mark these consents as uploaded to İYS?

## Navigation
nav-main = Main navigation
nav-areas = Areas
nav-menu = Menu
nav-pipeline = Pipeline
nav-search = Search
nav-group-day = My work
nav-group-customers = Customers
nav-group-sales = Sales
nav-group-service = Service
nav-group-marketing = Marketing

## Audit log actions
audit_action-workspace-created = Workspace created
audit_action-login = Signed in
audit_action-login-failed = Sign-in failed
audit_action-login-throttled = Too many attempts: sign-in paused
audit_action-logout = Signed out
audit_action-password-changed = Password changed
audit_action-password-change_failed = Password change failed
audit_action-invitation-created = Invitation created
audit_action-invitation-revoked = Invitation revoked
audit_action-invitation-accepted = Invitation accepted
audit_action-member-updated = Member updated
audit_action-member-role_changed = Member's role changed
audit_action-member-disabled = Member disabled
audit_action-team-created = Team created
audit_action-sync-denied = Sync refused (no access)
audit_action-calendar-unreadable_record = Calendar feed skipped an unreadable record
audit_action-api_token-created = API token created
audit_action-api_token-revoked = API token revoked
audit_action-api-record_created = Record created through the API
audit_action-records-imported = Records imported from a file
audit_action-records-exported = Records exported to a file
audit_action-records-merged = Duplicate merged into another record
audit_action-workspace-backed_up = Workspace backed up
audit_action-api-record_updated = Record changed through the API
audit_action-api-record_deleted = Record deleted through the API
audit_action-api-denied = API change refused
audit_action-webhook-created = Webhook created
audit_action-webhook-deleted = Webhook deleted
audit_action-webhook-disabled = Webhook turned off after repeated failures
audit_action-webhook-enabled = Webhook turned on
audit_action-web_form-created = Web form created
audit_action-web_form-deleted = Web form deleted
ui-profit_report = Profitability
ui-profit_hint = Sales are issued or paid invoices and orders not cancelled (an order counts until it is invoiced). Margin is the net after discount less the cost each line kept from its product; lines without a cost are counted apart, never guessed. Figures are in TRY; other currencies are shown apart.
ui-report_period = Period
ui-period_last_12_months = Last 12 months
ui-period_this_year = This year
ui-period_all_time = All time
ui-abc_cut_a = Class A up to (% of margin)
ui-abc_cut_b = Class B up to (% of margin)
ui-revenue = Revenue
ui-gross_margin = Gross margin
ui-margin_percent = Margin %
ui-abc_counts = Customers by class
ui-abc_class = ABC class
ui-whale_curve = Whale curve: cumulative margin by customers ranked by margin
ui-share_of_customers = Customers (%)
ui-share_of_margin = Margin (%)
ui-customers_by_margin = Customers by margin
ui-sales = Sales
ui-average_sale = Average sale
ui-last_sale = Last sale
ui-other_currencies = Other currencies
ui-rfm_too_few = RFM scores (recency-frequency-monetary, 1–5) need some hundreds of customers to mean much; with fewer, read them as a rough order.
ui-chart_as_table = Show as a table
ui-uncosted_lines = { $count ->
        [one] One sold line has no cost: its revenue is left out of the margin. Give the product a cost.
       *[other] { $count } sold lines have no cost: their revenue is left out of the margin. Give the products a cost.
    }
ui-customers_report = Loyalty and risk
ui-matrix_hint = Satisfaction is the mean of the survey answers and case ratings the account's people gave in the period; loyalty blends repeat purchase (sales in each quarter of the period), tenure and the latest recommendation score. Accounts without any opinion in the period are counted apart, never guessed.
ui-matrix_title = Satisfaction–loyalty matrix
ui-satisfaction = Satisfaction
ui-loyalty_axis = Loyalty
ui-satisfied_from = Satisfied from (0–100)
ui-loyal_from = Loyal from (0–100)
ui-matrix_months = Period (months)
ui-at_risk_factor = At risk when overdue by (× usual interval)
ui-silent_days = Silent after (days without a sale)
ui-save_thresholds = Save for the workspace
ui-thresholds_saved = Thresholds saved for the workspace.
ui-make_segment = Make a segment of this group
ui-accounts_in_group = Accounts in the group
ui-retention_title = Customers at risk
ui-retention_hint = The usual interval is the median number of days between sales. A customer is at risk when the days since the last sale exceed it by the workspace's factor; ordered by gross margin, so the ones most worth a call come first.
ui-usual_interval = Usual interval (days)
ui-days_since_last = Days since last sale
ui-silent_title = Silent customers
ui-silent_hint = No sale for a long time. Marking one a former customer is written to its lifecycle log; nothing changes until you do it.
ui-mark_former = Mark as former customer
ui-marked_former = Marked as a former customer.
ui-none_yet = Nothing here yet.
ui-demand_report = Demand
ui-demand_hint = Quantity sold per month (issued and paid invoices, open orders) and a forecast of the next three months. Two methods are tested on the past months and the one with the smaller error is used; its error is shown beside it.
ui-product = Product
ui-demand_forecast = Forecast
ui-quantity = Quantity
ui-method = Method
ui-method_seasonal = Same month last year (seasonal)
ui-mae = Mean absolute error
ui-mape = Mean absolute percentage error
ui-too_little_history = Too little history for a forecast (at least 4 months of sales are needed).
ui-demand_chart = Monthly quantity, with the forecast
ui-loyalty_group = Satisfaction–loyalty group
ui-share_of_wallet = Share of wallet (12 months)
ui-share_of_wallet_none = Give the account an annual purchasing potential to see its share of wallet.
ui-cross_sell = Offer next
ui-cross_sell_none = No suggestion yet: products need to be bought together by at least three customers.
ui-no_satisfaction_data = { $count ->
        [one] One account has no satisfaction data in the period: counted apart.
       *[other] { $count } accounts have no satisfaction data in the period: counted apart.
    }
ui-method_smoothing = Exponential smoothing (α = { $alpha })
ui-cross_sell_because = Bought with { $product } by { $together } customers (lift { $lift })
ui-performance_report = Team performance
ui-period_this_month = This month
ui-period_last_month = Last month
ui-period_this_quarter = This quarter
ui-won_revenue = Won revenue
ui-goal = Goal (achieved)
ui-won_lost = Won / lost
ui-win_rate = Win rate
ui-sales_cycle = Median sales cycle (days)
ui-weighted_pipeline = Weighted pipeline
ui-calls_per_day = Calls per working day
ui-first_response_hours = First response (median, working hours)
ui-resolution_hours = Resolution (median, working hours)
ui-won_by_rep = Won revenue by rep
ui-rep = Rep
ui-by_rep = By rep
ui-by_team = By team
ui-no_team = No team
ui-stage_conversion = Stage conversion
ui-entered = Entered
ui-moved_on = Moved on
ui-nps_trend = NPS trend
ui-answers = Answers
ui-definitions = How these are counted
ui-performance_hint = Won revenue: TRY opportunities whose last move to Won is in the period (other currencies are not added). Win rate: won ÷ (won + lost) among opportunities closed in the period; open deals are not in it. Sales cycle: days from an opportunity's creation to its win. Weighted pipeline: open TRY opportunities today, each amount × its stage's probability. Stage conversion: of the opportunities that entered a stage in the period, how many moved to a later stage or won. Calls per working day: calls in the period ÷ Monday–Friday days so far. Case times: medians in working time over the cases created in the period. NPS: % promoters (9–10) − % detractors (0–6) per month. Everything is over the records you may see.
ui-goals = Monthly goals
ui-save_goals = Save goals
ui-goals_saved = Goals saved for the workspace.
ui-export_table = Download the table:
ui-export_too_large = This table has more rows or columns than a spreadsheet file holds.
ui-export_list = Export…
ui-export_list_hint = Field codes as headers: the file imports again.
ui-export_csv_turkish = CSV (Excel, Turkish)
ui-first_sale = First sale
ui-opinions = Opinions
ui-retention_state = Retention
ui-calls = Calls
ui-period_custom = Chosen days
ui-period_from = From
ui-period_to = To
ui-period_ends_before_start = The period ends before it starts.
ui-period_too_long = A period spans at most five years.
ui-often_bought_with = Often bought with these:
ui-not_moved_on = Did not move on

## import
import-title = Import
import-hint = An Excel or LibreOffice workbook (XLSX, XLS, ODS), a CSV file, or a phone's contacts (vCard). Nothing is cut or guessed; every refused row is listed with its row number.
import-kind = The rows are
import-file = File (XLSX, XLS, ODS, CSV or VCF)
import-sheet = Sheet
import-encoding = Characters
import-replaced = { $count } characters unreadable in this encoding; choose another.
import-too_large = Larger than { $max } MB; split the file.
import-unreadable = The file could not be read.
import-empty_file = The file is empty.
import-bad_header = The header row has an unclosed quote.
import-bad_workbook = This file cannot be read as a workbook: it may be damaged, password-protected or another kind of document. Save it again from Excel, or as CSV.
import-columns = Columns
import-column = Column
import-leave_out = (leave out)
import-record_id = Saha ID
import-mode = Import mode
import-mode-create = new records only
import-mode-update = update existing only
import-mode-create_or_update = new and existing
import-match_by = Find existing by
import-match_none = (every row is new)
import-date_order = 03/04/2025 means
import-date_order-choose = choose…
import-date_order-day_first = 3 April
import-date_order-month_first = 4 March
import-problem-required_missing = No column fills “{ $field }”.
import-problem-field_twice = “{ $column }”: field chosen twice.
import-problem-key_not_mapped = Choose what finds existing records.
import-problem-mapping = The columns do not fit; pick the file again.
import-preview = Preview
import-line = Line
import-outcome = Outcome
import-new = new
import-update = update
import-unchanged = unchanged
import-check = Check all rows
import-run = Import
import-resume = Go on from line { $line }
import-stop = Stop
import-summary_dry = { $rows } rows checked: { $created } would be created, { $updated } updated, { $unchanged } unchanged, { $refused } refused.
import-summary = { $rows } rows: { $created } created, { $updated } updated, { $unchanged } unchanged, { $refused } refused.
import-reason = Reason
import-download_refused = Refused rows (CSV)
import-reason-ambiguous_date = Day or month? Choose the date order.
import-reason-unclosed_quote = Unclosed quote.
import-reason-cell_too_long = A cell is too long.
import-reason-cell_error = The cell shows a formula error (#N/A, #DIV/0!, …).
import-reason-extra_cells = More cells than columns.
import-reason-link_not_found = Linked record not found.
import-reason-link_ambiguous = Several records have this name.
import-reason-exists = Exists already.
import-reason-duplicate_in_file = Same key as line { $line }.
import-reason-not_found = No record has this key.
import-reason-key_empty = The key is empty.
import-reason-key_ambiguous = Several records have this key.
import-reason-not_allowed = Not yours to write.
import-reason-differs_in_order = Differs from line { $line }, the first row of this order.
import-reason-order_refused = Line { $line } of this order was refused; an order is taken whole.
import-reason-lines_differ = This order exists with other lines; an import does not change them.
import-order_lines = The orders have { $lines } lines.
import-history = Imports on this device
import-job_counts = { $created } created, { $updated } updated, { $refused } refused
import-stopped_at = (stopped at line { $line })
import-undo = Undo
import-undone_state = (undone)
import-undone = { $removed } records moved to the bin; { $kept } changed since and kept.

## backup
backup-title = Backup
backup-hint = Every record with its history, the members (no passwords), teams, number counters and the audit log.
backup-download = Download a backup

## duplicates
dup-title = Duplicates
dup-hint = Finds the same company or person entered twice: by tax number, e-mail, phone, company e-mail domain and a name that reads alike. Merging keeps one record, moves everything linked to the other onto it, and leaves the other in the bin as a pointer to the kept one.
dup-kind = Look among
dup-scan = Find duplicates
dup-none = No likely duplicates.
dup-found = { $count ->
    [one] One likely pair, best match first.
   *[other] { $count } likely pairs, best match first.
}
dup-score = Match
dup-compare = Compare and merge
dup-merge-title = Merge two records
dup-keep = Keep
dup-choose = Where the two differ, choose the value to keep.
dup-combined = Tags, notes, consent records and loyalty points of both are kept.
dup-merge = Merge
dup-merged = { $moved ->
    [one] Merged; one linked record moved to the kept one.
   *[other] Merged; { $moved } linked records moved to the kept one.
}
dup-kept = { $count ->
    [one] One record (an issued invoice or settled quote) keeps its link and opens the kept record.
   *[other] { $count } records (issued invoices, settled quotes) keep their link and open the kept record.
}
dup-key-tax_number = same tax number
dup-key-email = same e-mail
dup-key-phone = same phone
dup-key-domain = same e-mail domain
dup-key-name = same name
dup-error-not_mergeable = Only two accounts, or two contacts, can be merged.
dup-error-same_record = A record cannot be merged with itself.
dup-error-already_merged = One of the two was already merged into another record.
dup-redirect = This record was merged into another; opening that one.
dup-possible = This may be recorded already: { $names }. Check it, or save again to create it anyway.
privacy-title = Personal data held: { $name }
privacy-hint = Everything this device holds about the person: their record with its consent log, every record that refers to them, and the messages sent to them — for an access request (KVKK art. 11, answered within 30 days). Sync first, so the device holds the latest. Each file saved is written to the audit log.
privacy-link = Personal data (KVKK)
privacy-related = Records that refer to them
privacy-messages = Messages sent to them
privacy-consent_log = Consent log
privacy-made_at = Prepared on
privacy-download_report = Readable report (HTML)
privacy-erase_title = Erase this person
privacy-erase_hint = Their record and its whole history are destroyed on the server and, at their next sync, on every device. Records that refer to them are kept without them (their name, addresses and numbers masked) under new IDs, unless you erase those whole too. Their addresses go on a suppression list, so no campaign reaches them again. This cannot be undone, and it needs a connection.
privacy-erase_preview = See what erasure does
privacy-erase_whole = Erase whole
privacy-erase_erased = Erased
privacy-erase_kept = Kept without them
privacy-erase_request = Answers the request
privacy-erase_no_request = No logged request
privacy-erase_confirm = Erase { $name } for good
privacy-erase_done = Erased: { $erased } records destroyed, { $anonymised } kept without the person, { $suppressed } addresses and numbers suppressed. Destruction record { $id }.
privacy-keep_title = Retention periods
privacy-keep_hint = Personal data is kept only as long as its purpose needs. What is past an active rule's period is erased each time the interval ends (KVKK: at least every six months): people go, records about them stay without them. Every run is logged.
privacy-keep_idle_leads = Leads never converted, without activity
privacy-keep_former_customers = Former customers without activity, with their contacts
privacy-keep_call_logs = Call logs
privacy-keep_after = Period (months)
privacy-keep_interval = Run every (days, at most 182)
privacy-keep_save = Save the policy
privacy-keep_saved = Policy saved.
privacy-keep_off = Every rule is off: nothing is erased on its own.
privacy-keep_next = Next run: { $at }
privacy-keep_last = Last run: { $at }
privacy-keep_preview = What would a run erase now?
privacy-keep_none_due = Nothing is past its period now.
privacy-keep_last_activity = last activity { $at }
privacy-keep_run = Run now: erase { $count } records for good
privacy-keep_ran = Ran: { $erased } records erased, { $anonymised } records kept without the people.
privacy-keep_runs = Runs
privacy-keep_no_runs = No run yet.
privacy-keep_run_entry = { $at } · { $by } · { $erased } erased, { $anonymised } kept without people
privacy-keep_scheduled = scheduled
privacy-download_json = Data file (JSON)
audit_action-privacy-disclosed = Personal data given to its person

## KVKK requests (the request log)
role-privacy = Privacy officer
audit_action-privacy-request_logged = Privacy request logged
audit_action-privacy-request_updated = Privacy request changed
audit_action-privacy-erased = Person erased
audit_action-privacy-retention_saved = Retention policy saved
audit_action-privacy-retention_ran = Retention policy ran
privacy-requests_title = KVKK requests
privacy-requests_hint = What people asked about their personal data (KVKK art. 11): each must be answered in writing within 30 days of its arrival. Log a request the day it arrives, then note the answer given and where its proof is kept. Late and nearly late requests are marked.
privacy-requests_link = KVKK requests
privacy-log_for_person = Log a KVKK request from this person
privacy-new_request = Log a request
privacy-log = Log the request
privacy-logged = Request logged.
privacy-none = No requests logged yet.
privacy-kind = Request
privacy-person = Person
privacy-contact = How to reach them
privacy-channel = Received through
privacy-received_on = Received on
privacy-due_on = Answer by
privacy-closed_on = Closed on
privacy-description = What they ask
privacy-status = Status
privacy-answer = Answer given
privacy-evidence = Evidence (registry no., KEP message, file)
privacy-update = Status and answer
privacy-due_today = Due today
privacy-days_left = { $days ->
        [one] { $days } day left
       *[other] { $days } days left
    }
privacy-days_late = { $days ->
        [one] { $days } day late
       *[other] { $days } days late
    }
privacy-deadlines_overdue = { $count ->
        [one] { $count } KVKK request is past its deadline
       *[other] { $count } KVKK requests are past their deadline
    }
privacy-deadlines_due_soon = { $count ->
        [one] { $count } KVKK request is due within a week
       *[other] { $count } KVKK requests are due within a week
    }
privacy-kind-access = Access (what is held)
privacy-kind-rectification = Rectification
privacy-kind-erasure = Erasure
privacy-kind-objection = Objection
privacy-kind-restriction = Restriction
privacy-channel-letter = Letter
privacy-channel-kep = Registered e-mail (KEP)
privacy-channel-email = E-mail
privacy-channel-web = Web form
privacy-channel-in_person = In person
privacy-channel-phone = Phone
privacy-status-received = Received
privacy-status-in_progress = In progress
privacy-status-answered = Answered
privacy-status-refused = Refused
privacy-error-name = Write the person's name.
privacy-error-received = Give the day the request arrived.
privacy-error-future = The day it arrived cannot be after today.
privacy-error-person = The person's record is not known.
privacy-error-answer = Write the answer given before closing the request.
privacy-error-too_long = A field is too long.
