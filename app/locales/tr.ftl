# Saha: Türkçe words. Fluent syntax, compiled into the app by app/build.rs.
# Messages looked up by a code are named <family>-<code> (kind-account, field-city, refused-read_only).
# Both files must hold the same messages with the same variables, or the build fails.

## app
search = Ara
name = Ad / Unvan
cancel = Vazgeç
edit = Düzenle
loading = Yükleniyor…
offline = Çevrimdışı
connecting = Bağlanıyor
syncing = Eşitleniyor
synced = Eşitlendi
language = Dil
password = Parola
settings = Ayarlar
members = Üyeler
role = Rol
teams = Ekipler
department = Departman
invite = Davet et
invitations = Davetler
revoked = İptal edildi
accepted = Kabul edildi
expired = Süresi doldu
active = Geçerli
disable = Erişimi kapat
enable = Erişimi aç
when = Zaman
who = Kim
action = İşlem
target = Hedef
details = Ayrıntı
saved = Kaydedildi
pending = { $count } bekleyen
refused_changes = Sunucu { $count } değişikliğinizi kabul etmedi:
incoming = { $count } kayıt geliyor
downloading = { $done } / { $total } kayıt indirildi
record-count = { $count } kayıt

## accept
accept-invitation = Daveti kabul et

## add
add-team = Ekip ekle

## api_error
api_error-invalid_credentials = E-posta ya da parola yanlış.
api_error-rate_limited = Çok fazla hatalı deneme. Biraz sonra yeniden deneyin.
api_error-weak_password = Parola en az 10 karakter olmalı.
api_error-password_too_long = Parola en fazla 128 karakter olabilir.
api_error-invalid_email = Geçerli bir e-posta adresi girin.
api_error-email_taken = Bu e-posta adresi zaten bir üyeye ait.
api_error-email_mismatch = Bu davet başka bir e-posta adresi için.
api_error-invitation_invalid = Bu davet bağlantısı artık geçerli değil.
api_error-already_set_up = Bu sunucuda zaten bir çalışma alanı var; giriş yapın.
api_error-forbidden = Rolünüz buna izin vermiyor.
api_error-last_owner = Çalışma alanında en az bir sahip kalmalı.
api_error-own_access = Kendi rolünüzü değiştiremez, kendinizi kapatamazsınız.
api_error-team_exists = Bu adla bir ekip var.
api_error-invalid_input = Girilen bilgiler eksik ya da hatalı.
api_error-network = Sunucuya ulaşılamadı. Bağlantınızı kontrol edin.
api_error-unauthorized = Oturumunuz sona erdi; yeniden giriş yapın.
api_error-bad_origin = Bu istek başka bir siteden geldiği için reddedildi; uygulamayı kendi adresinden açın.
api_error-invalid_ticket = Eşitleme bağlantısı kurulamadı; sayfayı yenileyin.
api_error-invalid_token = API anahtarı eksik, hatalı ya da iptal edilmiş.
api_error-insufficient_scope = API anahtarının yetkileri buna izin vermiyor.
api_error-validation_failed = Bazı alanların düzeltilmesi gerekiyor.
api_error-change_refused = Değişiklik çalışma alanının kurallarınca reddedildi.
api_error-unknown_field = Kayıtta böyle bir alan yok.
api_error-payload_too_large = İstek çok büyük.
api_error-quota_exceeded = Çalışma alanının ek dosya alanı doldu; eski dosyaları kaldırın ya da bir yöneticiye başvurun.
api_error-unsupported_media_type = Saha bu türde dosya saklamaz (fotoğraf, sesli not, PDF, ofis ve metin dosyaları saklanır).
api_error-hash_mismatch = Dosya bozuk ulaştı; yeniden gönderilecek.
api_error-upload_incomplete = Dosyanın yüklenmesi henüz bitmedi.
api_error-not_found = Aranan kayıt bulunamadı.
api_error-bad_answer = Sunucunun yanıtı okunamadı; uygulamayı güncelleyin.
api_error-internal = Sunucu isteği tamamlayamadı.

## audit
audit-log = Denetim kaydı

## call
call-prompt = Görüşmeniz bitti mi? Aramayı kaydedin.

## category
category-complaint = Şikayet
category-request = İstek
category-wish = Dilek

## change
change-password = Parolayı değiştir

## channel
channel-phone = Telefon
channel-email = E-posta
channel-web = Web
channel-kiosk = Kiosk
channel-social = Sosyal medya
channel-in_person = Yüz yüze
channel-MESAJ = SMS
channel-EPOSTA = E-posta
channel-ARAMA = Arama

## consent
consent-ONAY = Onay
consent-RET = Ret
consent-none = İzin yok
consent-merchant = Tacir: izin gerekmez

## create
create-workspace = Çalışma alanını oluştur

## currency
currency-TRY = TRY (₺)
currency-USD = USD ($)
currency-EUR = EUR (€)

## current
current-password = Şu anki parola

## customer_type
customer_type-potential = Potansiyel
customer_type-new = Yeni
customer_type-current = Mevcut
customer_type-former = Eski
customer_type-target = Hedef

## delivery
delivery-queued = Sırada
delivery-sent = Gönderildi
delivery-failed = Gönderilemedi
delivery-uncertain = Belirsiz (sunucu gönderim sırasında durdu)

## dept
dept-sales = Satış
dept-service = Servis
dept-marketing = Pazarlama
dept-accounting = Muhasebe
dept-finance = Finans
dept-rnd = Ar-Ge

## direction
direction-outgoing = Giden
direction-incoming = Gelen

## edit

## email
email-optional = E-posta (isteğe bağlı; yalnız bu adres kabul edebilir)

## field
field-subject = Konu
field-channel = Kanal
field-priority = Öncelik
field-resolution = Çözüm
field-satisfaction = Memnuniyet (1–5)
field-direction = Yön
field-started = Başlangıç
field-duration = Süre (dk:sn)
field-outcome = Sonuç
field-follow_up = Tekrar aranacak
field-due = Son tarih
field-link = İlgili kayıt
field-remind = Hatırlat
field-calendar = Takvim
field-start = Başlangıç
field-end = Bitiş
field-time_zone = Saat dilimi
field-location = Yer
field-contacts = Katılan kişiler
field-members = Katılan ekip üyeleri
field-recurrence = Tekrar
field-agenda = Gündem
field-minutes = Toplantı notları
field-customer_type = Müşteri tipi
field-account_segment = Müşteri segmenti
field-ordered_since = Son sipariş en erken
field-min_revenue = En az ciro (₺)
field-satisfaction_group = Memnuniyet grubu
field-email_topic = E-posta konusu
field-template = Mesaj şablonu
field-survey = Anket
field-loyalty_tier = Sadakat seviyesi
field-abc_class = ABC sınıfı (marja göre)
field-min_margin = En az brüt marj (TL)
field-annual_potential = Yıllık satın alma potansiyeli (TL)
field-loyalty_group = Memnuniyet–sadakat grubu
field-retention = Elde tutma
field-bought_product = Bu ürünü almış
field-not_bought_product = Bu ürünü almamış
field-rfm_recency = RFM yenilik (en son ne zaman aldı)
field-rfm_frequency = RFM sıklık (ne sık alıyor)
field-rfm_monetary = RFM parasal değer (ne kadar getiriyor)
field-name = Ad
field-party = Şirket / şahıs
field-type = Müşteri tipi
field-relation = İlişki
field-segment = Segment
field-phone = Telefon
field-mobile = Cep telefonu
field-email = E-posta
field-city = Şehir
field-address = Adres
field-tax_office = Vergi dairesi
field-tax_number = VKN / TCKN
field-legal_name = Ticari unvan
field-iban = IBAN
field-logo = Logo
field-birthday = Doğum günü
field-tags = Etiketler (virgülle ayırın)
field-team = Ekip
field-owner = Sorumlu
field-notes = Notlar
field-account = Müşteri
field-title = Unvan / görev
field-company = Şirket
field-topic = İlgilendiği konu
field-estimated_amount = Tahmini tutar
field-currency = Para birimi
field-source = Kaynak
field-status = Durum
field-disqualified_reason = Eleme nedeni
field-contact = Kişi
field-stage = Aşama
field-amount = Tutar
field-close_date = Tahmini kapanış
field-lost_reason = Kayıp nedeni
field-sku = Stok kodu
field-unit_price = Birim fiyat (KDV hariç)
field-unit_cost = Birim maliyet (KDV hariç; marj için)
field-vat = KDV oranı
field-category = Kategori
field-opportunity = Fırsat
field-valid_until = Geçerlilik tarihi
field-due_date = Son ödeme tarihi
field-description = Açıklama
field-quantity = Miktar
field-discount = İndirim %
field-number = Fatura no
field-call-number = Telefon numarası
field-opportunity-name = Fırsat adı
field-product-name = Ürün adı
field-campaign-name = Kampanya adı
field-campaign-subject = E-posta konu satırı
field-campaign-email_topic = İYS izin konusu (bu konuya izin verenlere gider)
field-segment-name = Segment adı
field-issue_date = Düzenleme tarihi
field-order_date = Sipariş tarihi
field-order-number = Sipariş no
field-line_product = Kalem: ürün (stok kodu veya adı)
field-line_description = Kalem: açıklama
field-line_quantity = Kalem: miktar
field-line_unit_price = Kalem: birim fiyat (KDV hariç)
field-line_discount = Kalem: iskonto %
field-line_vat = Kalem: KDV oranı
field-line_unit_cost = Kalem: birim maliyet

## form
form-has-errors = Bazı alanların düzeltilmesi gerekiyor. Yazdıklarınız korunuyor.

## gate
gate-no_consent = İzin yok
gate-refused = Ret vermiş
gate-topic = Bu konuya abone değil
gate-no_address = Bu kanal için adres yok
gate-cool_off = Dinlenme süresi içinde görüşüldü
gate-quiet_hours = Sessiz saatler: şimdi gönderilmez

## invitation
invitation-title = Davet
invitation-link = Davet bağlantısı — davet ettiğiniz kişiye gönderin:

## invited
invited-as = Rolünüz

## iys
iys-MESAJ = SMS
iys-ARAMA = Arama
iys-EPOSTA = E-posta

## kind
kind-account = Müşteri
kind-contact = Kişi
kind-lead = Aday
kind-opportunity = Fırsat
kind-quote = Teklif
kind-order = Sipariş
kind-invoice = Fatura
kind-product = Ürün
kind-case = Talep
kind-call = Arama
kind-task = Görev
kind-meeting = Toplantı
kind-segment = Segment
kind-campaign = Kampanya

## kinds
kinds-account = Müşteriler
kinds-contact = Kişiler
kinds-case = Talepler
kinds-call = Aramalar
kinds-task = Görevler
kinds-meeting = Toplantılar
kinds-segment = Segmentler
kinds-campaign = Kampanyalar
kinds-lead = Adaylar
kinds-opportunity = Fırsatlar
kinds-quote = Teklifler
kinds-order = Siparişler
kinds-invoice = Faturalar
kinds-product = Ürünler

## log
log-in = Giriş yap
log-out = Çıkış yap

## login
login-title = Saha'ya giriş

## new
new-account = Yeni müşteri
password-new = Yeni parola
new-contact = Yeni kişi
new-lead = Yeni aday
new-opportunity = Yeni fırsat
new-quote = Yeni teklif
new-order = Yeni sipariş
new-invoice = Yeni fatura
new-product = Yeni ürün
new-case = Yeni talep
new-call = Arama kaydı
new-task = Yeni görev
new-meeting = Yeni toplantı
new-segment = Yeni segment
new-campaign = Yeni kampanya

## no
no-matches = Aramanızla eşleşen kayıt yok.
no-team = Ekip yok (herkes görür)

## offline
offline-no-session = Çevrimdışısınız ve bu cihazda açık oturum yok. Bağlantı gelince giriş yapın.

## outcome
outcome-reached = Görüşüldü
outcome-no_answer = Cevap yok
outcome-busy = Meşgul
outcome-call_back = Geri aranacak

## page
page-not-found = Sayfa bulunamadı.
page-not-loaded = Bu sayfa açılamadı: henüz bu cihaza kaydedilmedi ve sunucuya ulaşılamıyor. Çevrimiçi olduğunuzda tekrar deneyin.

## party
party-company = Şirket
party-person = Şahıs

## password
password-changed = Parola değiştirildi; diğer cihazlardaki oturumlar kapatıldı.
password-rule = En az 10 karakter.

## priority
priority-urgent = Acil
priority-high = Yüksek
priority-normal = Normal
priority-low = Düşük

## problem
problem-required = Bu alan zorunlu.
problem-too_long = En fazla { $max } karakter olabilir.
problem-invalid_email = Geçerli bir e-posta adresi girin, örneğin ad@firma.com.tr.
problem-invalid_phone = Geçerli bir telefon numarası girin, örneğin 0532 123 45 67.
problem-invalid_vkn = Vergi kimlik numarası 10 haneli olmalı ve kontrol hanesi tutmalı.
problem-invalid_tckn = T.C. kimlik numarası 11 haneli olmalı, 0 ile başlamamalı ve kontrol haneleri tutmalı.
problem-invalid_date = Geçerli bir tarih girin (GG.AA.YYYY).
problem-invalid_number = Sıfır ya da pozitif bir sayı girin, örneğin 1.250,50.
problem-invalid_choice = Listeden bir seçenek seçin.
problem-percent_out_of_range = Yüzde 0 ile 100 arasında olmalı.
problem-locked = Bu alan artık değişmez (kesilmiş fatura, kabul ya da reddedilmiş teklif).
problem-invalid_date_time = Geçerli bir tarih ve saat girin.
problem-unknown_time_zone = Bu saat dilimi tanınmıyor; örneğin Europe/Istanbul yazın.
problem-end_before_start = Bitiş, başlangıçtan sonra olmalı.
problem-invalid_recurrence = Tekrar kuralı okunamadı (örnek: FREQ=WEEKLY;BYDAY=MO;COUNT=10).
problem-invalid_template = Şablonda bilinmeyen bir alan ya da kapanmamış {"{{"} var; kullanılabilenler: {"{{"}first_name{"}}"}, {"{{"}name{"}}"}, {"{{"}company{"}}"}, {"{{"}city{"}}"}.
problem-number_out_of_range = { $min } ile { $max } arasında bir değer girin.
problem-invalid_iban = Geçerli bir IBAN girin, ör. TR33 0006 1005 1978 6457 8413 26.
problem-invalid_image = En çok 70 KB'lık bir PNG, JPEG, WebP ya da SVG görseli seçin.

## read
read-only-note = Rolünüz salt okunur: kayıtları görebilir, değiştiremezsiniz.

## record
record-not-found = Bu kayıt bu cihazda yok; eşitleme sürüyorsa birazdan görünür.

## refused
refused-quote_not_accepted = Sipariş için önce teklifin kabul edilmesi gerekir.
refused-not_a_quote = Bu bir teklif değil.
refused-not_an_order = Bu bir sipariş değil.
refused-not_an_invoice = Bu bir fatura değil.
refused-order_cancelled = İptal edilmiş siparişe fatura kesilmez.
refused-lead_already_converted = Bu aday zaten dönüştürüldü.
refused-lead_disqualified = Elenmiş aday dönüştürülemez.
refused-invoice_already_issued = Fatura zaten kesildi.
refused-invoice_has_no_lines = Kalemsiz fatura kesilemez.
refused-invoice_lines_invalid = Bir kalem hesaplanamıyor; faturayı kesmeden önce düzeltin.
refused-lines_locked = Kesilmiş faturanın, faturalanmış ya da iptal edilmiş siparişin, kabul ya da reddedilmiş teklifin kalemleri değişmez.
refused-no_index = Çalışma alanı bu cihaza henüz ulaşmadı; bağlanınca yeniden deneyin.
refused-no_numbers = Bu cihazda fatura numarası kalmadı; numara almak için internete bağlanın.
refused-quote_not_revisable = Yalnızca gönderilmiş, kabul ya da reddedilmiş teklifin yeni sürümü yapılır.
refused-opportunity_not_won = Fırsattan sipariş, fırsat kazanıldığında oluşturulur.
refused-invoice_not_issued = Yalnızca kesilmiş bir fatura ödendi olarak işaretlenebilir.
refused-quote_locked = Kabul ya da reddedilmiş teklif değişmez: yeni bir sürüm oluşturun.
refused-read_only = Rolünüz yalnızca okuma izni veriyor.
refused-not_visible = Bu kayıt size görünmüyor.
refused-team_change = Rolünüz kaydı bu ekibe taşıyamaz.
refused-owner_change = Rolünüz kaydın sorumlusunu değiştiremez.
refused-kind_change = Bir kaydın türü değiştirilemez.
refused-unreadable = Kayıt beklenen biçimde değil.
refused-server_only_field = Bu alanı yalnızca sunucu yazar.
refused-fixed_field = Bu alan kayıt oluşturulurken belirlenir, sonra değişmez.
refused-set_once_field = Bu alan bir kez yazıldı, değiştirilemez.
refused-admins_only_field = Kayıtları yalnızca sahipler ve yöneticiler silebilir ya da çöp kutusundan geri alabilir.
refused-append_only_field = Bu kayıt günlüğüne yalnızca ekleme yapılabilir.
refused-locked_field = Bu alan kaydın şimdiki durumunda değiştirilemez.
refused-invalid_format = E-posta ya da telefon geçerli değil.
refused-document_too_large = Kayıt izin verilen boyutu aşıyor.
refused-index_created = Çalışma alanı dizini yalnızca sunucuda oluşturulur.
refused-index_change = Dizine yalnızca kayıt eklenebilir.
refused-index_lists_team_record = Dizin yalnızca ortak kayıtları listeler.
refused-foreign_history = Bu kayıt bir kişi silindikten sonra yeniden oluşturuldu; eski kopyada yapılan değişiklikler alınmaz.
refused-campaign_approval = Kampanyaları yalnızca sahipler, yöneticiler ve müdürler onaylar.
refused-campaign_withdrawal = Onaylı bir kampanyayı yalnızca onaylayabilenler taslağa çevirir.
refused-campaign_hand_over = Kampanya gönderime yalnızca sunucu tarafından verilir.
refused-quote_acceptance = Rolünüz teklifi kabul edilmiş olarak işaretleyemez.
refused-invoice_issue = Rolünüz fatura kesemez ya da faturanın durumunu değiştiremez.
refused-case_closure = Rolünüz talebi çözüldü ya da kapandı olarak işaretleyemez.
refused-not_a_record = Bu belge bir kayıt değil.

## relation
relation-external = Dış müşteri
relation-internal = İç müşteri

## remind
remind-0 = Zamanında
remind-15 = 15 dk önce
remind-60 = 1 saat önce
remind-1440 = 1 gün önce

## repeat
repeat-none = Tekrar yok
repeat-daily = Her gün
repeat-weekdays = Hafta içi her gün
repeat-weekly = Her hafta
repeat-biweekly = İki haftada bir
repeat-monthly = Her ay
repeat-custom = Özel kural
repeat-yearly = Her yıl
repeat-every_days = { $n } günde bir
repeat-every_weeks = { $n } haftada bir
repeat-every_months = { $n } ayda bir
repeat-every_years = { $n } yılda bir
repeat-nth_weekday = ayın { $n }. { $day }
repeat-last_weekday = ayın son { $day }
repeat-on_month_day = ayın { $day }. günü
repeat-times = { $n } kez
repeat-until = { $date } tarihine kadar

## report
report-cases = Talepler
report-open = Açık talepler
report-first_response = Ortalama ilk yanıt (iş saati)
report-resolution = Ortalama çözüm (iş saati)
report-breach_rate = SLA aşım oranı
report-satisfaction = Ortalama memnuniyet
report-open_by_age = Açık talepler (yaşa göre)
report-age_bucket = Yaş
report-age-lt1 = 1 günden az
report-age-1to3 = 1–3 gün
report-age-3to7 = 3–7 gün
report-age-ge7 = 7 gün ve üzeri
report-calls = Temsilci başına günlük aramalar (son 7 gün)
report-day = Gün
report-total_time = Toplam süre
report-mean_time = Ortalama süre
report-nps = NPS (yanıt sayısı)

## role
role-owner = Sahip
role-admin = Yönetici
role-manager = Müdür
role-sales_rep = Satış temsilcisi
role-service_agent = Hizmet temsilcisi
role-read_only = Salt okunur

## satisfaction
satisfaction-1 = 1 — Hiç memnun değil
satisfaction-2 = 2
satisfaction-3 = 3
satisfaction-4 = 4
satisfaction-5 = 5 — Çok memnun

## satisfaction_group
satisfaction_group-satisfied = Memnun (4–5)
satisfaction_group-neutral = Kararsız (2,5–4)
satisfaction_group-unhappy = Memnun değil (2,5 altı)

## loyalty_group
loyalty_group-dangerous = Tehlikeli (memnun değil, sadık değil)
loyalty_group-captive = Tutsak (sadık, memnun değil)
loyalty_group-mercenary = Paralı asker (memnun, sadık değil)
loyalty_group-advocate = Savunucu (memnun ve sadık)
loyalty_group-no_data = Memnuniyet verisi yok

## retention
retention-at_risk = Risk altında (gecikmiş)
retention-silent = Sessiz (uzun süredir satış yok)
rfm_recency-low = Düşük (puan 1–2)
rfm_recency-mid = Orta (puan 3)
rfm_recency-high = Yüksek (puan 4–5)
rfm_frequency-low = Düşük (puan 1–2)
rfm_frequency-mid = Orta (puan 3)
rfm_frequency-high = Yüksek (puan 4–5)
rfm_monetary-low = Düşük (puan 1–2)
rfm_monetary-mid = Orta (puan 3)
rfm_monetary-high = Yüksek (puan 4–5)

## abc_class
abc_class-A = A — en kârlılar (marjın ilk %80'i)
abc_class-B = B — orta (sonraki %15)
abc_class-C = C — az kârlı ya da zararda

## save
save-failed = Kaydedilemedi; yazdıklarınız korunuyor

## search
search-placeholder = Ad, şehir, telefon veya e-posta

## session
session-expired = Oturumunuz sona erdi. Değişiklikleriniz bu cihazda saklanıyor; eşitlemek için yeniden giriş yapın.

## set
set-up-title = Saha'yı kurun
set-up-intro = İlk çalışma alanını ve sahibinin hesabını oluşturun.

## show

## sla
sla-title = Hizmet süresi (SLA)
sla-first_response = İlk yanıt
sla-resolution = Çözüm
sla-used = Harcanan / hedef
sla-due = Süre doluyor
sla-state-running = İşliyor
sla-state-warning = Süre dolmak üzere
sla-state-paused = Durdu (müşteri bekleniyor)
sla-state-met = Zamanında
sla-state-breached = Süre aşıldı
sla-breached = SLA süresi aşıldı: bu talep üst seviyeye taşındı.
sla-near = SLA süresinin %80'i doldu; talebi önceliklendirin.
sla-escalated = Üst seviyede

## source
source-HS_FIZIKSEL_ORTAM = Fiziksel ortam
source-HS_ISLAK_IMZA = Islak imza
source-HS_WEB = Web sitesi
source-HS_CAGRI_MERKEZI = Çağrı merkezi
source-HS_SOSYAL_MEDYA = Sosyal medya
source-HS_EPOSTA = E-posta
source-HS_MESAJ = SMS
source-HS_MOBIL = Mobil uygulama
source-HS_EORTAM = Elektronik ortam
source-HS_KARAR = Mahkeme / kurum kararı
source-web = Web sitesi
source-referral = Tavsiye
source-event = Etkinlik / fuar
source-cold_call = Soğuk arama
source-campaign = Kampanya
source-partner = İş ortağı
source-other = Diğer

## stage
stage-prospecting = Ön görüşme
stage-qualification = Nitelendirme
stage-proposal = Teklif
stage-negotiation = Pazarlık
stage-won = Kazanıldı
stage-lost = Kaybedildi

## status
status-waiting = Müşteri bekleniyor
status-resolved = Çözüldü
status-closed = Kapandı
status-done = Tamamlandı
status-confirmed = Kesin
status-tentative = Taslak
status-approved = Onaylandı
status-new = Yeni
status-working = Çalışılıyor
status-qualified = Nitelikli
status-disqualified = Elendi
status-converted = Dönüştürüldü
status-draft = Taslak
status-sent = Gönderildi
status-accepted = Kabul edildi
status-rejected = Reddedildi
status-open = Açık
status-delivered = Teslim edildi
status-invoiced = Faturalandı
status-revised = Revize edildi
status-cancelled = İptal
status-issued = Kesildi
status-paid = Ödendi
status-overdue = Gecikmiş

## storage
storage-failed = Bu cihazdaki veri deposu açılamadı

## survey
survey-csat = Memnuniyet (1–5)
survey-nps = Tavsiye (NPS, 0–10)

## sync
sync-status = Eşitleme durumu

## team
team-name = Ekip adı

## type
type-potential = Potansiyel
type-new = Yeni
type-current = Mevcut
type-former = Eski
type-target = Hedef

## ui
ui-dismiss = Kapat
ui-sms = SMS gönder
ui-my_day = Bugün
ui-no_tasks = Bugün için görev yok.
ui-today_meetings = Bugünkü toplantılar
ui-no_meetings = Toplantı yok.
ui-my_cases = Bana atanan açık talepler
ui-no_cases = Açık talep yok.
ui-overdue = Gecikti
ui-reminder = Hatırlatma
ui-enable_notifications = Hatırlatmalar için bildirimlere izin ver
ui-calendar = Takvim
ui-my_calendar = Takvimim
ui-try_again = Tekrar dene
ui-view_day = Gün
ui-view_week = Hafta
ui-view_agenda = Ajanda (30 gün)
ui-today = Bugün
ui-subscriptions = Takvim aboneliği (ICS)
ui-subscriptions_hint = Bu adresi Google, Apple ya da Outlook takviminize ekleyin. Adres gizlidir; paylaşmayın, gerekirse iptal edin.
ui-subscribe = Abonelik adresi oluştur
ui-revoke = İptal et
ui-download_ics = Takvime ekle (.ics)
ui-open_map = Haritada aç
ui-service_settings = Servis ayarları
ui-company_details = Firma bilgileri
ui-company_details_hint = Her teklifin ve faturanın başına basılır.
ui-admins_only = Bu sayfayı yalnızca yöneticiler değiştirebilir.
ui-working_hours = Çalışma saatleri
ui-national_holidays = Resmî bayramlar (1 Ocak, 23 Nisan, 1 Mayıs, 19 Mayıs, 15 Temmuz, 30 Ağustos, 28–29 Ekim) tatil
ui-holidays = Diğer tatiller (her satıra bir tarih; yarım gün: 2026-05-26 13:00)
ui-sla_targets = Önceliğe göre SLA hedefleri (iş dakikası)
ui-frequency_guard = Müşteriyi sıkmama kuralı
ui-guard_count = En fazla görüşme/arama (0: kapalı)
ui-guard_days = … şu kadar gün içinde
ui-save = Kaydet
ui-saved = Kaydedildi.
ui-service_report = Servis raporu
ui-segment_members = Segmentteki kişiler
ui-audience = Hedef kitle ve izin kontrolü
ui-audience_included = kişiye gidecek
ui-audience_excluded = kişi hariç
ui-no_segment = Önce bir segment seçin.
ui-template_impersonal = Şablon kişinin adını içermiyor; toplu davet yerine {"{"}{"{"}first_name{"}"}{"}"} ile kişiye hitap edin.
ui-sms_length = { $chars } karakter · { $segments } SMS (ret bağlantısıyla)
ui-sms_gsm = GSM alfabesi: SMS başına 160 karakter
ui-sms_unicode = Unicode (ş, ğ, ı gibi harfler): SMS başına 70 karakter
ui-insert_field = Alan ekle
ui-no_email_topic = — e-posta değil —
placeholder-first_name = Ad
placeholder-name = Ad soyad
placeholder-company = Firma
placeholder-city = Şehir
placeholder-survey_link = Anket bağlantısı
ui-contact_rules = Kampanya iletişim kuralları
ui-cool_off_days = Son görüşmeden sonra dinlenme (gün)
ui-quiet_hours = Sessiz saatler
ui-deliveries = Gönderimler
ui-send_campaign = Gönderimi onayla
ui-confirm_send = Kampanya, izni olan kişilere sunucudan gönderilecek. Onaylıyor musunuz?
ui-special_days = Özel günler
ui-special_days_hint = Önümüzdeki 7 gündeki doğum günleri ve müşteri yıldönümleri. Tebrikler de ticari iletidir: izin kontrolünden geçer.
ui-no_special_days = Önümüzdeki hafta özel gün yok.
ui-birthday = Doğum günü
ui-anniversary = Müşteri yıldönümü
ui-prepare_greeting = Tebrik hazırla
ui-loyalty = Sadakat puanları
ui-points = puan
ui-points_earned = toplam kazanılan
ui-points_negative = Bakiye eksiye düştü: iki cihazda çevrimdışı harcama yapılmış olabilir.
ui-redeem = Puan kullan
ui-redeem_note = Ne için (hediye çeki…)
ui-ledger = Puan hareketleri
ui-loyalty_rules = Sadakat programı
ui-loyalty_tiers = Seviyeler
ui-loyalty_members = Üyeler
ui-loyalty_no_members = Henüz puanı olan müşteri yok: ödenen faturalar puan kazandırır.
ui-surveys = Anketler
ui-surveys_none = Henüz anket yok: çözülmüş bir talepten ya da teslim edilmiş bir siparişten gönderin.
ui-survey_asked = Sorulan
ui-survey_answered = Yanıtlayan
ui-response_rate = Yanıt oranı
ui-csat = Memnuniyet (ortalama, 1–5)
ui-satisfied_share = Memnun (4–5)
ui-nps = NPS
ui-points_per_100 = Ödenen her 100 ₺ için puan
ui-tiers = Seviyeler (ad:puan, …)
ui-send_survey = Memnuniyet anketi gönder
ui-responses = Anket yanıtları
ui-included_heading = Gidecek kişiler
ui-excluded_heading = Hariç kalanlar ve nedeni
ui-consents = İletişim izinleri (İYS)
ui-record_consent = İzin / ret kaydet
ui-recipient = Alıcı (telefon ya da e-posta)
ui-evidence = Kanıt (form no, kayıt no…)
ui-email_topics = E-posta konuları
ui-consent_log = İzin geçmişi
ui-uploaded = İYS'ye yüklendi
ui-first_refusal = Bu kanalda önce bir onay olmalı; bireysel alıcının ilk kaydı ret olamaz.
ui-iys_page = İYS izinleri
ui-iys_hint = İzinler verildikleri günden sonraki 3 iş günü içinde İYS'ye yüklenmelidir. Dışa aktarın, İYS'ye yükleyin, sonra yüklendi olarak işaretleyin.
ui-mark_uploaded = Yüklendi olarak işaretle
ui-nothing_to_upload = Yüklenecek izin yok.
ui-iys_late = Süresi doluyor
ui-iys_overdue = Bu kişinin bir izni 3 iş günlük İYS yükleme süresinin sonunda.
ui-service_settings_hint = Çalışma saatleri ve tatiller SLA sürelerini ve İYS yükleme süresini belirler.
ui-search_all = Her yerde ara
ui-search_hint = Ad, şehir, telefon, e-posta… (Ctrl+K)
ui-filter = Süz
ui-all = Tümü
ui-sort = Sırala
ui-sort_name = Ada göre
ui-sort_newest = En yeni önce
ui-no_records = Henüz kayıt yok.
ui-pick = Yazın ve seçin
ui-clear = Temizle
ui-convert = Müşteriye dönüştür
ui-convert_title = Adayı müşteriye dönüştür
ui-convert_hint = Aday bir müşteri, bir kişi ve bir fırsat olur. Zaten kayıtlı görünüyorsa mevcut kaydı seçin: değerleri korunur, yalnızca eksikleri adaydan doldurulur.
ui-convert_new = Yeni
ui-convert_existing = Mevcut
ui-new_quote = Teklif hazırla
ui-create_order = Sipariş oluştur
ui-create_invoice = Fatura oluştur
ui-issue = Faturayı kes
ui-mark_paid = Ödendi
ui-mark_sent = Gönderildi
ui-revise_quote = Yeni sürüm
ui-order_from_deal = Sipariş oluştur
confirm-revise_quote = Bu teklifin yeni sürümü oluşturulsun mu? Bu sürüm olduğu gibi kalır ve revize edildi olarak işaretlenir; yenisi taslak olarak açılır.
ui-accept = Kabul edildi
ui-reject = Reddedildi
ui-print = Yazdır / PDF
ui-lines = Kalemler
ui-add_line = Kalem ekle
ui-add_product = Katalogdan ürün ekle
ui-choose_product = Ürün seçin…
ui-remove = Kaldır
ui-edit_line = Düzenle
ui-line_total = Tutar
ui-net = Ara toplam
ui-vat_total = KDV
ui-gross = Genel toplam
ui-totals_invalid = Bir kalem hesaplanamıyor; kalemleri kontrol edin.
ui-timeline = Zaman çizelgesi
ui-related_records = Bağlantılı
ui-consent_and_loyalty = İzin · sadakat
ui-account_360 = Müşteri sayfasının bölümleri
ui-pipeline = Satış hunisi
ui-forecast = Ağırlıklı tahmin (kapanış ayına göre)
ui-month = Ay
ui-count = Adet
ui-weighted = Ağırlıklı
ui-total = Toplam
ui-no_date = Tarihsiz
ui-drag_hint = Kartı ⠿ tutamağından sürükleyip bir aşamaya bırakın.
ui-drag_handle = Taşı
ui-created = oluşturuldu
ui-converted = müşteriye dönüştürüldü
ui-merged_into = şu kayıtla birleştirildi:
ui-save_line = Kalemi kaydet
ui-converted_into = Dönüştürüldüğü kayıtlar
ui-lead_origin = Geldiği aday
ui-results = sonuç
ui-customer = Müşteri
ui-earlier_version = Önceki sürüm
ui-made_from = Kaynak
ui-date = Tarih
ui-settings_pipeline = Satış hunisi aşamaları
ui-probability = Olasılık %
ui-add_stage = Aşama ekle
ui-pipeline_note = Kazanıldı ve Kaybedildi her hunide sonda yer alır.
ui-field_locked = Bu alan şu anda değiştirilemez.

## valid
valid-for-hours = Geçerlilik (saat)

## vat
vat-20 = %20
vat-10 = %10
vat-1 = %1

## weekday
weekday-0 = Pazartesi
weekday-1 = Salı
weekday-2 = Çarşamba
weekday-3 = Perşembe
weekday-4 = Cuma
weekday-5 = Cumartesi
weekday-6 = Pazar

## wipe
wipe-device = Bu cihazdaki verilerimi de sil (paylaşılan cihazlar için)
wipe-warning = Eşitlenmemiş değişiklikler var; silerseniz kaybolur.

## workspace
workspace-name = Çalışma alanı adı (şirketiniz)
workspace-label = Çalışma alanı

## your
your-name = Adınız

ui-undo = Geri al
ui-task_done = Görev tamamlandı.

ui-calendar_view = Görünüm
ui-previous = Önceki
ui-next = Sonraki
ui-minutes_unit = dk

ui-archive = Arşivle
ui-restore = Geri yükle
ui-delete = Sil
confirm-delete_record = Bu kayıt herkes için silinsin mi? Tüm listelerden, aramalardan ve raporlardan kalkar; sahipler ve yöneticiler çöp kutusundan geri alabilir.
ui-deleted_toast = Silindi.
ui-attachments = Ekler
ui-attach_photo = Fotoğraf çek
ui-attach_file = Dosya ekle
ui-attach_keep_original = Özgün fotoğrafı koru (konumuyla)
ui-attachments_none = Henüz ek yok.
ui-attachment_waiting = Yüklenmeyi bekliyor
ui-attachment_uploading = Yükleniyor
ui-attachment_remove = Kaldır
ui-attachment_working = Dosya hazırlanıyor…
attachment-too-large = Dosya { $mb } MB'tan büyük; bu sunucu daha büyüğünü almaz.
ui-attachment_not_kept = Saha bu türde dosya saklamaz (fotoğraf, sesli not, PDF, ofis ve metin dosyaları saklanır).
ui-attachment_not_stored = Dosya bu cihaza kaydedilemedi.
ui-attachment_refused_too_large = Sunucu bu dosyayı almadı: bu sunucunun sınırından büyük. Yalnızca bu cihazda duruyor.
ui-attachment_refused_type = Sunucu bu dosyayı almadı: bu türde dosya saklamıyor. Yalnızca bu cihazda duruyor.
ui-device_storage = Bu cihazdaki dosyalar
ui-device_storage_hint = Fotoğraflar, sesli notlar ve belgeler çevrimdışı da açılsın diye bu cihazda tutulur. Yüklenmeyi bekleyen dosyalar her zaman kalır; tutulmayanlar açılınca yeniden indirilir.
ui-device_files = Tutulan dosyalar
ui-device_files_waiting = Yüklenmeyi bekleyen
ui-device_site_usage = Saha'nın bu tarayıcıda kullandığı
ui-keep_files = Çevrimdışı tutulacak dosyalar
ui-keep_files_all = Hepsi
ui-keep_files_none = Yalnızca yüklenmeyi bekleyenler
ui-keep_files_saved = Ayar kaydedildi.
keep-files-days = Son { $days } günde açılanlar
device-files-removed = { $count ->
    [one] Bir dosya bu cihazdan kaldırıldı.
   *[other] { $count } dosya bu cihazdan kaldırıldı.
}
ui-voice_record = Sesli not kaydet
ui-voice_stop = Durdur ve ekle
ui-voice_no_microphone = Mikrofon açılamadı; tarayıcıda bu siteye izin verin.
ui-bin = Çöp kutusu
ui-api = API
ui-api_hint = Diğer sistemler (muhasebe, web siteniz, izleme araçları) kayıtları REST API ile bir anahtarla okur ve yazar. Anahtar, ait olduğu üyenin rolü ve ekipleriyle, yetkileri ölçüsünde çalışır.
ui-api_docs = API başvuru belgesi
ui-api_secret_once = Bu anahtarı şimdi kopyalayın: yalnızca bir kez gösterilir.
ui-api_new_token = Yeni anahtar
ui-api_acts_as = Adına çalıştığı üye
ui-api_access = Erişim
ui-api_read = Okuma
ui-api_write = Okuma ve yazma
ui-api_all_kinds = Tüm kayıt türleri
ui-api_privacy = KVKK başvuru kaydı ve erişim yanıtları da (kişisel veri sorumlusunun işi; “tüm kayıt türleri” bunu kapsamaz)
ui-api_create = Anahtar oluştur
ui-api_tokens = Anahtarlar
ui-api_none = Henüz anahtar yok.
ui-api_created = Oluşturuldu
ui-api_last_used = Son kullanım
ui-api_never_used = hiç
ui-api_revoke = İptal et
ui-webhooks = Web kancaları
ui-webhooks_hint = Saha seçilen her olayı adrese gönderir, aboneliğin gizli anahtarıyla imzalar (Saha-Signature başlığı) ve kabul edilene kadar yeniden dener. Sürekli hata veren hedef kapatılır.
ui-webhooks_none = Henüz web kancası yok.
ui-webhook_url = Hedef adres
ui-webhook_all_events = Tüm olaylar
ui-webhook_create = Web kancası ekle
ui-webhook_off = Kapatıldı:
ui-webhook_turn_on = Aç
ui-webhook_secret = İmza anahtarı
ui-webhook_attempts = Son gönderimler
ui-webhook_delete = Sil
ui-web_forms = Web formları
ui-web_forms_hint = Web sitenizdeki form adayları ya da şikayet, istek ve dilekleri talep olarak doğrudan Saha'ya iletir. Kod parçasıyla sayfanıza yerleştirin ya da formun sayfasına bağlantı verin. Gizli alan, en kısa doldurma süresi, hız sınırları ve izin verdiğiniz siteler istenmeyen gönderileri dışarıda tutar.
ui-web_forms_none = Henüz web formu yok.
ui-web_form_new = Yeni web formu
ui-web_form_target = Oluşturduğu kayıt
ui-web_form_fields = Sorulan alanlar (ad her zaman sorulur)
ui-web_form_team = Yeni kayıtların ekibi
ui-web_form_whole_workspace = Tüm çalışma alanı
ui-web_form_consents = İzin kutuları
ui-web_form_consents_hint = İşaretlenen her kutu, metni, zamanı ve gönderenin adresiyle kanıt olarak İYS kaydına işlenir. Kutunun yanında tam metin gösterilir.
ui-web_form_wording = Tam metin
ui-web_form_wording_eposta = Kampanya, duyuru ve fırsatlardan e-posta ile haberdar olmak istiyorum.
ui-web_form_wording_mesaj = Kampanya, duyuru ve fırsatlardan SMS ile haberdar olmak istiyorum.
ui-web_form_wording_arama = Kampanya, duyuru ve fırsatlar için aranmayı kabul ediyorum.
ui-web_form_thank_you = Teşekkür metni
ui-web_form_origins = Formu yerleştirebilecek siteler (her satıra bir tane)
ui-web_form_min_fill = En kısa doldurma süresi (saniye)
ui-web_form_create = Form oluştur
ui-web_form_page = Sayfayı aç
ui-web_form_snippet = Yerleştirme kodu
ui-web_form_problem_name = Forma bir ad verin (en çok 200 karakter).
ui-web_form_problem_consent_on_case = İzin adaylara kaydedilir: şikayet, istek ya da dilek formu izin sormaz.
ui-web_form_problem_consent_needs_field = { $channel } izni için formun { $field } alanını sorması gerekir.
ui-web_form_problem_consent_twice = Her kanalın izni bir kez sorulabilir.
ui-web_form_problem_wording = Her iznin tam metni yazılmalı (en çok 2000 karakter).
ui-web_form_problem_origin = "{ $origin }" bir site adresi değil (örnek: https://www.example.com).
ui-web_form_problem_thank_you = Teşekkür metni çok uzun (en çok 2000 karakter).
ui-bin_hint = Sahiplerin ve yöneticilerin sildiği kayıtlar. Geri alınan kayıt herkese geri döner.
ui-bin_empty = Çöp kutusu boş.
ui-deleted_on = Silinme
ui-archived_note = Bu kayıt arşivde: listelerde ve aramada görünmez.
ui-archived_toast = Kayıt arşivlendi.
ui-show_archived = Arşivdekileri göster

ui-list_options = Filtre ve sıralama

## Confirmations
confirm-issue_invoice = Fatura kesilsin mi? Numara alınır, satırlar bundan sonra değiştirilemez.
confirm-redeem = { $points } puan kullanılsın mı? Bu geri alınamaz.
confirm-mark_uploaded = Bu kayıtlar İYS'ye yüklendi olarak işaretlensin mi?

## Navigation
nav-main = Ana gezinme
nav-areas = Bölümler
nav-menu = Menü
nav-pipeline = Huni
nav-search = Ara
nav-group-day = Günlük işler
nav-group-customers = Müşteriler
nav-group-sales = Satış
nav-group-service = Servis
nav-group-marketing = Pazarlama

## Audit log actions
audit_action-workspace-created = Çalışma alanı kuruldu
audit_action-login = Giriş yaptı
audit_action-login-failed = Giriş başarısız
audit_action-login-throttled = Çok fazla deneme: giriş bekletildi
audit_action-logout = Çıkış yaptı
audit_action-password-changed = Parola değiştirildi
audit_action-password-change_failed = Parola değiştirilemedi
audit_action-invitation-created = Davet oluşturuldu
audit_action-invitation-revoked = Davet geri alındı
audit_action-invitation-accepted = Davet kabul edildi
audit_action-member-updated = Üye güncellendi
audit_action-member-role_changed = Üyenin rolü değişti
audit_action-member-disabled = Üye devre dışı bırakıldı
audit_action-team-created = Ekip oluşturuldu
audit_action-sync-denied = Eşitleme reddedildi (yetki yok)
audit_action-calendar-unreadable_record = Takvim akışı okunamayan bir kaydı atladı
audit_action-api_token-created = API anahtarı oluşturuldu
audit_action-api_token-revoked = API anahtarı iptal edildi
audit_action-api-record_created = API ile kayıt oluşturuldu
audit_action-records-imported = Kayıtlar dosyadan içe aktarıldı
audit_action-records-exported = Kayıtlar dosyaya dışa aktarıldı
audit_action-records-merged = Mükerrer kayıt başka bir kayıtla birleştirildi
audit_action-workspace-backed_up = Çalışma alanının yedeği alındı
audit_action-api-record_updated = API ile kayıt değiştirildi
audit_action-api-record_deleted = API ile kayıt silindi
audit_action-api-denied = API değişikliği reddedildi
audit_action-webhook-created = Web kancası oluşturuldu
audit_action-webhook-deleted = Web kancası silindi
audit_action-webhook-disabled = Web kancası tekrarlanan hatalar sonrası kapatıldı
audit_action-webhook-enabled = Web kancası açıldı
audit_action-web_form-created = Web formu oluşturuldu
audit_action-web_form-deleted = Web formu silindi
ui-profit_report = Kârlılık
ui-profit_hint = Satışlar, kesilmiş ya da ödenmiş faturalar ve iptal edilmemiş siparişlerdir (sipariş, faturası kesilene kadar sayılır). Marj, indirim sonrası net tutardan her kalemin ürününden aldığı maliyetin düşülmesidir; maliyeti olmayan kalemler ayrı sayılır, tahmin edilmez. Tutarlar TL'dir; diğer para birimleri ayrı gösterilir.
ui-report_period = Dönem
ui-period_last_12_months = Son 12 ay
ui-period_this_year = Bu yıl
ui-period_all_time = Tüm zamanlar
ui-abc_cut_a = A sınıfı sınırı (marjın %'si)
ui-abc_cut_b = B sınıfı sınırı (marjın %'si)
ui-revenue = Ciro
ui-gross_margin = Brüt marj
ui-margin_percent = Marj %
ui-abc_counts = Sınıflara göre müşteriler
ui-abc_class = ABC sınıfı
ui-whale_curve = Balina eğrisi: marja göre sıralı müşterilerin birikimli marjı
ui-share_of_customers = Müşteriler (%)
ui-share_of_margin = Marj (%)
ui-customers_by_margin = Marja göre müşteriler
ui-sales = Satış
ui-average_sale = Ortalama satış
ui-last_sale = Son satış
ui-other_currencies = Diğer para birimleri
ui-rfm_too_few = RFM puanları (yenilik-sıklık-parasal değer, 1–5) ancak birkaç yüz müşteriyle anlam kazanır; daha azında kaba bir sıralama olarak okuyun.
ui-chart_as_table = Tablo olarak göster
ui-uncosted_lines = { $count ->
        [one] Satılan bir kalemin maliyeti yok: cirosu marja katılmadı. Ürüne maliyet girin.
       *[other] Satılan { $count } kalemin maliyeti yok: cirosu marja katılmadı. Ürünlere maliyet girin.
    }
ui-customers_report = Sadakat ve risk
ui-matrix_hint = Memnuniyet, hesabın kişilerinin dönem içinde verdiği anket yanıtlarının ve talep puanlarının ortalamasıdır; sadakat, tekrar satın almayı (dönemin her çeyreğinde satış), müşteri olma süresini ve son tavsiye puanını birleştirir. Dönemde hiç görüşü olmayan hesaplar ayrı sayılır, tahmin edilmez.
ui-matrix_title = Memnuniyet–sadakat matrisi
ui-satisfaction = Memnuniyet
ui-loyalty_axis = Sadakat
ui-satisfied_from = Memnun sayılma eşiği (0–100)
ui-loyal_from = Sadık sayılma eşiği (0–100)
ui-matrix_months = Dönem (ay)
ui-at_risk_factor = Risk eşiği (olağan aralığın katı)
ui-silent_days = Sessiz sayılma (satışsız gün)
ui-save_thresholds = Çalışma alanı için kaydet
ui-thresholds_saved = Eşikler çalışma alanı için kaydedildi.
ui-make_segment = Bu gruptan segment oluştur
ui-accounts_in_group = Gruptaki hesaplar
ui-retention_title = Risk altındaki müşteriler
ui-retention_hint = Olağan aralık, satışlar arasındaki gün sayısının ortancasıdır. Son satıştan bu yana geçen gün bunu çalışma alanının katsayısı kadar aşınca müşteri risk altındadır; en değerliler önce gelsin diye brüt marja göre sıralıdır.
ui-usual_interval = Olağan aralık (gün)
ui-days_since_last = Son satıştan bu yana gün
ui-silent_title = Sessiz müşteriler
ui-silent_hint = Uzun süredir satış yok. Birini eski müşteri olarak işaretlemek yaşam döngüsü kaydına yazılır; siz yapmadıkça hiçbir şey değişmez.
ui-mark_former = Eski müşteri olarak işaretle
ui-marked_former = Eski müşteri olarak işaretlendi.
ui-none_yet = Henüz bir şey yok.
ui-demand_report = Talep
ui-demand_hint = Aylık satılan miktar (kesilmiş ve ödenmiş faturalar, açık siparişler) ve önümüzdeki üç ayın tahmini. İki yöntem geçmiş aylarda denenir, hatası küçük olan kullanılır; hatası yanında gösterilir.
ui-product = Ürün
ui-demand_forecast = Tahmin
ui-quantity = Miktar
ui-method = Yöntem
ui-method_seasonal = Geçen yılın aynı ayı (mevsimsel)
ui-mae = Ortalama mutlak hata
ui-mape = Ortalama mutlak yüzde hata
ui-too_little_history = Tahmin için geçmiş yetersiz (en az 4 aylık satış gerekir).
ui-demand_chart = Aylık miktar ve tahmin
ui-loyalty_group = Memnuniyet–sadakat grubu
ui-share_of_wallet = Cüzdan payı (12 ay)
ui-share_of_wallet_none = Cüzdan payını görmek için hesaba yıllık satın alma potansiyeli girin.
ui-cross_sell = Sıradaki teklif
ui-cross_sell_none = Henüz öneri yok: ürünlerin en az üç müşteri tarafından birlikte alınmış olması gerekir.
ui-no_satisfaction_data = { $count ->
        [one] Bir hesabın dönemde memnuniyet verisi yok: ayrı sayıldı.
       *[other] { $count } hesabın dönemde memnuniyet verisi yok: ayrı sayıldı.
    }
ui-method_smoothing = Üstel düzeltme (α = { $alpha })
ui-cross_sell_because = { $product } ile birlikte { $together } müşteri aldı (kaldıraç { $lift })
ui-performance_report = Ekip performansı
ui-period_this_month = Bu ay
ui-period_last_month = Geçen ay
ui-period_this_quarter = Bu çeyrek
ui-won_revenue = Kazanılan ciro
ui-goal = Hedef (gerçekleşme)
ui-won_lost = Kazanılan / kaybedilen
ui-win_rate = Kazanma oranı
ui-sales_cycle = Satış süresi ortancası (gün)
ui-weighted_pipeline = Ağırlıklı satış hattı
ui-calls_per_day = İş günü başına arama
ui-first_response_hours = İlk yanıt (ortanca, mesai saati)
ui-resolution_hours = Çözüm (ortanca, mesai saati)
ui-won_by_rep = Temsilciye göre kazanılan ciro
ui-rep = Temsilci
ui-by_rep = Temsilcilere göre
ui-by_team = Ekiplere göre
ui-no_team = Ekipsiz
ui-stage_conversion = Aşama dönüşümü
ui-entered = Giren
ui-moved_on = İlerleyen
ui-nps_trend = NPS eğilimi
ui-answers = Yanıt
ui-definitions = Nasıl hesaplanır
ui-performance_hint = Kazanılan ciro: Kazanıldı aşamasına son geçişi dönem içinde olan TL fırsatlar (diğer para birimleri eklenmez). Kazanma oranı: dönemde kapanan fırsatlarda kazanılan ÷ (kazanılan + kaybedilen); açık fırsatlar dahil değildir. Satış süresi: fırsatın açılışından kazanılmasına kadar geçen gün. Ağırlıklı satış hattı: bugün açık TL fırsatlar, her biri tutar × aşamanın olasılığı. Aşama dönüşümü: dönemde bir aşamaya giren fırsatlardan kaçının sonraki bir aşamaya geçtiği ya da kazanıldığı. İş günü başına arama: dönemdeki aramalar ÷ bugüne kadarki pazartesi–cuma günleri. Talep süreleri: dönemde açılan taleplerde mesai süresi ortancaları. NPS: ay başına % destekçi (9–10) − % eleştirmen (0–6). Hepsi görebildiğiniz kayıtlar üzerindendir.
ui-goals = Aylık hedefler
ui-save_goals = Hedefleri kaydet
ui-goals_saved = Hedefler çalışma alanı için kaydedildi.
ui-export_table = Tabloyu indir:
ui-export_too_large = Bu tablo bir hesap tablosu dosyasının alabileceğinden fazla satır veya sütun içeriyor.
ui-export_list = Dışa aktar…
ui-export_list_hint = Başlıklar alan kodlarıdır: dosya yeniden içe aktarılabilir.
ui-export_csv_turkish = CSV (Türkçe Excel)
ui-first_sale = İlk satış
ui-opinions = Görüş sayısı
ui-retention_state = Elde tutma
ui-calls = Aramalar
ui-period_custom = Seçilen günler
ui-period_from = Başlangıç
ui-period_to = Bitiş
ui-period_ends_before_start = Dönem başlamadan bitiyor.
ui-period_too_long = Bir dönem en çok beş yıl olabilir.
ui-often_bought_with = Bunlarla sık alınanlar:
ui-not_moved_on = İlerlemedi

## import
import-title = İçe aktar
import-hint = Excel veya LibreOffice çalışma kitabı (XLSX, XLS, ODS), CSV dosyası ya da telefon rehberi (vCard). Hiçbir şey kırpılmaz, tahmin edilmez; reddedilen her satır satır numarasıyla listelenir.
import-kind = Satırlar
import-file = Dosya (XLSX, XLS, ODS, CSV veya VCF)
import-sheet = Sayfa
import-encoding = Karakterler
import-replaced = Bu kodlamayla { $count } karakter okunamadı; başkasını seçin.
import-too_large = { $max } MB'tan büyük; dosyayı bölün.
import-unreadable = Dosya okunamadı.
import-empty_file = Dosya boş.
import-bad_header = Başlık satırında kapanmayan tırnak var.
import-bad_workbook = Bu dosya çalışma kitabı olarak okunamıyor: bozuk, parolalı ya da başka türde bir belge olabilir. Excel'den yeniden kaydedin ya da CSV olarak kaydedin.
import-columns = Sütunlar
import-column = Sütun
import-leave_out = (alma)
import-record_id = Saha kimliği
import-mode = Aktarım biçimi
import-mode-create = yalnızca yeni kayıt
import-mode-update = yalnızca güncelleme
import-mode-create_or_update = yeni ve güncelleme
import-match_by = Var olanı bul
import-match_none = (her satır yeni)
import-date_order = 03/04/2025 demek
import-date_order-choose = seçin…
import-date_order-day_first = 3 Nisan
import-date_order-month_first = 4 Mart
import-problem-required_missing = “{ $field }” alanını dolduran sütun yok.
import-problem-field_twice = “{ $column }”: alan iki kez seçildi.
import-problem-key_not_mapped = Var olanı neyle bulacağınızı seçin.
import-problem-mapping = Sütunlar uymuyor; dosyayı yeniden seçin.
import-preview = Önizleme
import-line = Satır
import-outcome = Sonuç
import-new = yeni
import-update = güncelleme
import-unchanged = değişmedi
import-check = Tüm satırları denetle
import-run = İçe aktar
import-resume = { $line }. satırdan devam et
import-stop = Durdur
import-summary_dry = { $rows } satır denetlendi: { $created } oluşturulacak, { $updated } güncellenecek, { $unchanged } değişmeyecek, { $refused } reddedildi.
import-summary = { $rows } satır: { $created } oluşturuldu, { $updated } güncellendi, { $unchanged } değişmedi, { $refused } reddedildi.
import-reason = Neden
import-download_refused = Reddedilenler (CSV)
import-reason-ambiguous_date = Gün mü ay mı? Tarih sırasını seçin.
import-reason-unclosed_quote = Kapanmayan tırnak.
import-reason-cell_too_long = Hücre çok uzun.
import-reason-cell_error = Hücrede formül hatası var (#YOK, #SAYI/0!, …).
import-reason-extra_cells = Sütundan fazla hücre.
import-reason-link_not_found = Bağlı kayıt bulunamadı.
import-reason-link_ambiguous = Bu adda birden çok kayıt var.
import-reason-exists = Zaten var.
import-reason-duplicate_in_file = { $line }. satırla aynı anahtar.
import-reason-not_found = Bu anahtarla kayıt yok.
import-reason-key_empty = Anahtar boş.
import-reason-key_ambiguous = Bu anahtarla birden çok kayıt var.
import-reason-not_allowed = Yazma yetkiniz yok.
import-reason-differs_in_order = Bu siparişin ilk satırından ({ $line }. satır) farklı.
import-reason-order_refused = Bu siparişin { $line }. satırı reddedildi; sipariş bütün olarak alınır.
import-reason-lines_differ = Bu sipariş başka kalemlerle zaten var; içe aktarma kalemlerini değiştirmez.
import-order_lines = Siparişlerde { $lines } kalem var.
import-history = Bu cihazdaki aktarımlar
import-job_counts = { $created } oluşturuldu, { $updated } güncellendi, { $refused } reddedildi
import-stopped_at = ({ $line }. satırda durdu)
import-undo = Geri al
import-undone_state = (geri alındı)
import-undone = { $removed } kayıt çöp kutusunda; sonradan değişen { $kept } kayıt korundu.

## backup
backup-title = Yedek
backup-hint = Geçmişiyle her kayıt, üyeler (parolasız), ekipler, numara sayaçları ve denetim günlüğü.
backup-download = Yedeği indir

## duplicates
dup-title = Mükerrer kayıtlar
dup-hint = İki kez girilmiş aynı firmayı ya da kişiyi bulur: vergi numarası, e-posta, telefon, firma e-posta alan adı ve benzer okunan ad ile. Birleştirme bir kaydı tutar, diğerine bağlı her şeyi ona taşır ve diğerini, tutulan kayda yönlendiren bir iz olarak çöp kutusunda bırakır.
dup-kind = Nerede aransın
dup-scan = Mükerrerleri bul
dup-none = Olası mükerrer kayıt yok.
dup-found = { $count ->
    [one] Bir olası çift; en iyi eşleşme önce.
   *[other] { $count } olası çift; en iyi eşleşme önce.
}
dup-score = Eşleşme
dup-compare = Karşılaştır ve birleştir
dup-merge-title = İki kaydı birleştir
dup-keep = Tutulacak kayıt
dup-choose = İkisinin farklı olduğu alanlarda tutulacak değeri seçin.
dup-combined = İkisinin etiketleri, notları, izin kayıtları ve sadakat puanları korunur.
dup-merge = Birleştir
dup-merged = { $moved ->
    [one] Birleştirildi; bağlı bir kayıt tutulan kayda taşındı.
   *[other] Birleştirildi; bağlı { $moved } kayıt tutulan kayda taşındı.
}
dup-kept = { $count ->
    [one] Bir kayıt (kesilmiş fatura ya da sonuçlanmış teklif) bağlantısını korur ve tutulan kaydı açar.
   *[other] { $count } kayıt (kesilmiş faturalar, sonuçlanmış teklifler) bağlantısını korur ve tutulan kaydı açar.
}
dup-key-tax_number = aynı vergi numarası
dup-key-email = aynı e-posta
dup-key-phone = aynı telefon
dup-key-domain = aynı e-posta alan adı
dup-key-name = aynı ad
dup-error-not_mergeable = Yalnızca iki firma ya da iki kişi birleştirilebilir.
dup-error-same_record = Bir kayıt kendisiyle birleştirilemez.
dup-error-already_merged = İkisinden biri zaten başka bir kayıtla birleştirilmiş.
dup-redirect = Bu kayıt başka bir kayıtla birleştirildi; o açılıyor.
dup-possible = Bu kayıt zaten var olabilir: { $names }. Kontrol edin ya da yine de oluşturmak için tekrar kaydedin.
privacy-title = Tutulan kişisel veriler: { $name }
privacy-hint = Bu cihazın kişi hakkında tuttuğu her şey: kaydı ve rıza geçmişi, ona değinen her kayıt ve ona gönderilen iletiler — bilgi talebi için (KVKK md. 11, 30 gün içinde yanıtlanır). Önce eşitleyin ki cihazda en güncel hâli olsun. Kaydedilen her dosya denetim kaydına yazılır.
privacy-link = Kişisel veriler (KVKK)
privacy-related = Ona değinen kayıtlar
privacy-messages = Ona gönderilen iletiler
privacy-consent_log = Rıza geçmişi
privacy-made_at = Hazırlanma tarihi
privacy-download_report = Okunur rapor (HTML)
privacy-erase_title = Bu kişiyi sil
privacy-erase_hint = Kişinin kaydı tüm geçmişiyle birlikte sunucuda ve bir sonraki eşitlemede her cihazda yok edilir. Kişiye değinen kayıtlar, siz onları da tamamen silmedikçe, kişi olmadan (adı, adresleri ve numaraları maskelenerek) yeni kimliklerle saklanır. Adresleri bir engelleme listesine girer; hiçbir kampanya onlara bir daha ulaşmaz. Geri alınamaz ve bağlantı gerektirir.
privacy-erase_preview = Silmenin ne yapacağını gör
privacy-erase_whole = Tamamen sil
privacy-erase_erased = Silinir
privacy-erase_kept = Kişi olmadan saklanır
privacy-erase_request = Yanıtladığı başvuru
privacy-erase_no_request = Kayıtlı başvuru yok
privacy-erase_confirm = { $name } kalıcı olarak silinsin
privacy-erase_done = Silindi: { $erased } kayıt yok edildi, { $anonymised } kayıt kişi olmadan saklandı, { $suppressed } adres ve numara engellendi. İmha kaydı { $id }.
privacy-keep_title = Saklama süreleri
privacy-keep_hint = Kişisel veriler amacı kadar saklanır. Açık bir kuralın süresi geçen kayıtlar, aralık her dolduğunda (KVKK: en az altı ayda bir) silinir: kişiler yok edilir, onlara değinen kayıtlar kişisiz kalır. Her çalışma kaydedilir.
privacy-keep_idle_leads = Dönüştürülmemiş, hareketsiz adaylar
privacy-keep_former_customers = Hareketsiz eski müşteriler ve kişileri
privacy-keep_call_logs = Arama kayıtları
privacy-keep_after = Süre (ay)
privacy-keep_interval = Çalışma aralığı (gün, en çok 182)
privacy-keep_save = Politikayı kaydet
privacy-keep_saved = Politika kaydedildi.
privacy-keep_off = Bütün kurallar kapalı: hiçbir şey kendiliğinden silinmez.
privacy-keep_next = Sıradaki çalışma: { $at }
privacy-keep_last = Son çalışma: { $at }
privacy-keep_preview = Şimdi çalışsa neyi siler?
privacy-keep_none_due = Şu an süresi geçmiş kayıt yok.
privacy-keep_last_activity = son hareket { $at }
privacy-keep_run = Şimdi çalıştır: { $count } kayıt kalıcı olarak silinsin
privacy-keep_ran = Çalıştı: { $erased } kayıt silindi, { $anonymised } kayıt kişiler olmadan saklandı.
privacy-keep_runs = Çalışmalar
privacy-keep_no_runs = Henüz çalışmadı.
privacy-keep_run_entry = { $at } · { $by } · { $erased } silindi, { $anonymised } kişisiz saklandı
privacy-keep_scheduled = zamanlanmış
privacy-download_json = Veri dosyası (JSON)
audit_action-privacy-disclosed = Kişisel veriler sahibine verildi

## KVKK başvuruları (başvuru kaydı)
role-privacy = KVKK sorumlusu
audit_action-privacy-request_logged = KVKK başvurusu kaydedildi
audit_action-privacy-request_updated = KVKK başvurusu değiştirildi
audit_action-privacy-erased = Kişi silindi
audit_action-privacy-retention_saved = Saklama politikası kaydedildi
audit_action-privacy-retention_ran = Saklama politikası çalıştı
privacy-requests_title = KVKK başvuruları
privacy-requests_hint = Kişilerin kişisel verileri hakkındaki başvuruları (KVKK md. 11): her biri geldiği günden itibaren 30 gün içinde yazılı olarak yanıtlanmalıdır. Başvuruyu geldiği gün kaydedin, sonra verilen cevabı ve kanıtının nerede saklandığını yazın. Süresi geçen ve dolmak üzere olanlar işaretlenir.
privacy-requests_link = KVKK başvuruları
privacy-log_for_person = Bu kişinin KVKK başvurusunu kaydet
privacy-new_request = Başvuru kaydet
privacy-log = Başvuruyu kaydet
privacy-logged = Başvuru kaydedildi.
privacy-none = Henüz kayıtlı başvuru yok.
privacy-kind = Talep
privacy-person = Başvuran
privacy-contact = Cevabın gideceği adres
privacy-channel = Başvuru yolu
privacy-received_on = Başvuru tarihi
privacy-due_on = Son cevap günü
privacy-closed_on = Kapanış
privacy-description = Talep edilen
privacy-status = Durum
privacy-answer = Verilen cevap
privacy-evidence = Kanıt (evrak no, KEP iletisi, dosya)
privacy-update = Durum ve cevap
privacy-due_today = Bugün son gün
privacy-days_left = { $days } gün kaldı
privacy-days_late = { $days } gün gecikti
privacy-deadlines_overdue = { $count } KVKK başvurusunun süresi geçti
privacy-deadlines_due_soon = { $count } KVKK başvurusunun süresi bir hafta içinde doluyor
privacy-kind-access = Bilgi talebi (hangi veriler işleniyor)
privacy-kind-rectification = Düzeltme
privacy-kind-erasure = Silme veya yok etme
privacy-kind-objection = İtiraz
privacy-kind-restriction = İşlemenin sınırlanması
privacy-channel-letter = Yazılı dilekçe
privacy-channel-kep = KEP
privacy-channel-email = E-posta
privacy-channel-web = Web formu
privacy-channel-in_person = Yüz yüze
privacy-channel-phone = Telefon
privacy-status-received = Alındı
privacy-status-in_progress = İnceleniyor
privacy-status-answered = Cevaplandı
privacy-status-refused = Reddedildi
privacy-error-name = Başvuranın adını yazın.
privacy-error-received = Başvurunun geldiği günü girin.
privacy-error-future = Başvuru tarihi bugünden sonra olamaz.
privacy-error-person = Kişinin kaydı bulunamadı.
privacy-error-answer = Başvuruyu kapatmadan önce verilen cevabı yazın.
privacy-error-too_long = Bir alan çok uzun.
