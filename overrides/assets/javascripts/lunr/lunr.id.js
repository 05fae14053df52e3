/*!
 * lunr.id: Indonesian (Bahasa Indonesia) support for lunr 2.x, in the format of lunr-languages.
 * Stemmer after the Nazief-Adriani / Enhanced Confix Stripping rules used by Sastrawi.
 * Copyright (c) Kontributor Panduan Back-End. MIT License.
 */
/*
 * Why this file exists (and is not a package from npm):
 * - lunr-languages (npm) has no Indonesian.
 * - sastrawijs (npm, MIT code) is a plain stemmer, not a lunr plugin; each of its bundles is about
 *   300 KB because it embeds Sastrawi's root-word dictionary, and that dictionary comes from
 *   Kateglo under CC BY-NC-SA 3.0 (per the sastrawijs README), which a MIT/CC BY-SA handbook
 *   cannot ship. So the stemming rules are written here from the published algorithm, and the
 *   root list below is our own, compiled for this handbook (see ROOTS).
 *
 * What it provides, loaded after lunr (Material for MkDocs loads it as
 * assets/javascripts/lunr/min/lunr.id.min.js when the search config says lang: ["id"]):
 * - lunr.id: the plugin (builder.use(lunr.id)) setting the pipelines: trimmer, stop-word filter
 *   and stemmer when indexing, stemmer when searching;
 * - lunr.id.stemmer: a pipeline function that keeps every word and adds its root at the same
 *   position ("pengelolaan" is indexed as "pengelolaan" and "kelola"), made by lunr.keepStem
 *   (lunr.keepstem.js, which also extends every query term with its root: Material's search
 *   appends "*" to every term and lunr skips the search pipeline for terms with a wildcard);
 * - lunr.id.stem(word), lunr.id.isRoot(word), lunr.id.isStopWord(word) and
 *   lunr.id.candidates(word) for tests and tools (scripts/stemmer_vocab.mjs).
 * Tests: tests/search/ (npm test). scripts/stemmer_build.mjs (npm run build:lunr) minifies
 * lunr.keepstem.js + this file into min/lunr.id.min.js.
 */
;(function (root, factory) {
  if (typeof define === 'function' && define.amd) {
    define(factory)
  } else if (typeof exports === 'object') {
    module.exports = factory()
  } else {
    factory()(root.lunr)
  }
}(this, function () {
  return function (lunr) {
    if (typeof lunr === 'undefined') {
      throw new Error('Lunr is not present. Please include / require Lunr before this script.')
    }
    if (String(lunr.version).charAt(0) === '1') {
      throw new Error('lunr.id needs lunr 2.x.')
    }
    if (typeof lunr.keepStem !== 'function') {
      throw new Error('lunr.id needs lunr.keepstem.js, loaded before it.')
    }

    /*
     * Stop words: Indonesian function words (pronouns, prepositions, conjunctions, particles,
     * auxiliaries), a trimmed version of the usual lists (Tala 2003) that keeps every content
     * word a reader of this handbook may search for (data, cara, masalah, awal, akhir, baru...),
     * plus the prefix fragments that a hyphen leaves on foreign words (men-deploy, di-cache).
     */
    var STOP_WORDS = [
      'ada adalah agak agar akan aku amat anda antara apa apabila apakah apalagi atau',
      'bagaimana bagaimanakah bahkan bahwa bahwasanya beberapa begini begitu beliau belum ber',
      'berapa bila bilamana bisa boleh bukan bukankah',
      'dalam dan dapat dari daripada deh demikian dengan di dia dong',
      'engkau entah',
      'hanya harus hingga',
      'ia ialah ini itu',
      'jadi jika juga',
      'kalau kalian kami kamu kan kapan karena kau ke kemudian kenapa kepada ketika kita kok',
      'lah lalu',
      'maka makin masih maupun melainkan mem men meng mengapa meny mereka merupakan meskipun mu',
      'mungkin',
      'nah namun nya',
      'oleh',
      'pada padahal para pem pen peng peny per pula pun',
      'saat saja sambil sang sangat saya sebab sebagai sebelum sebuah secara sedang sedangkan',
      'sehingga sejak selagi selalu selama semakin seolah seorang seperti serta sesudah setelah',
      'setiap si siapa sih sini situ suatu sudah supaya',
      'tadi tak tapi telah tentang ter terhadap tersebut tetapi tiap tidak toh',
      'untuk',
      'walau walaupun',
      'ya yaitu yakni yang'
    ].join(' ')

    /*
     * Root words (KBBI base forms), our own list for this handbook: the roots of its Indonesian
     * vocabulary (back-end work, software, writing about them) and of common Indonesian words.
     * A word is only reduced to a root found here; a word whose root is missing stays as it is
     * (never a wrong cut). Add roots when a page uses new words: `npm run stemmer:vocab` lists
     * the handbook's affixed words that find no root, then `npm run build:lunr-id`.
     * Also list here the roots that look affixed (pesan, peran, periksa, beri, tekan), so
     * that they are not cut further. Sorted, lower case, one space between words.
     */
    var ROOTS = [
      'abad abadi abai abdi absen abstrak abstraksi abu acak acara acu acuh ada adaptasi adat',
      'adegan adik adil administrasi admonisi adopsi adu afiliasi agak agama agen agenda agregasi',
      'agresif agung ahad ahli air ajaib ajak ajal ajar akademi akademik akal akar akhir akibat',
      'akrab aksara akses aksesibilitas aksi aktif aktivitas aktor aktual aku akun akuntansi akur',
      'akurasi akurat alam alamat alami alarm alas alat album alergi alfabet algoritma alih alir',
      'alis alkohol alokasi alternatif alur aman amanat amarah amat ambang ambil ambisi ambruk',
      'ampuh ampun amuk anak analis analisis analitik analitis analogi anarki ancam andai andal',
      'andil aneh aneka anggap anggar anggota anggun angin angka angkasa angkat angkut anjing',
      'anjlok anjur anomali antar antara antarmuka antena antik antisipasi antre antusias anulir',
      'anyam apa api aplikasi apresiasi april apung arah arena argumen aritmetika arsip arsitek',
      'arsitektur arti artikel arus asah asal asam asap asersi asing asinkron asisten asli asosiasi',
      'aspek asuh asumsi atap atas atlet atom atribusi atribut atur audiens audit autentikasi awak',
      'awal awam awan awas awet ayah ayam ayat ayo',
      'babak baca badai badan bagai bagasi bagi bagus bahagia bahan bahari bahas bahasa bahaya bahu',
      'baik baja bajak baju bakal bakar bakat bakteri bakti baku balai balap balas balik balok',
      'balon bambu ban bandar bandara bandel banding bangga bangkai bangkit bangkrut bangku bangsa',
      'bangun banjir bank bantah bantal banteng bantu banyak bapak barang barat baring baris barter',
      'baru basah basi basis batal batang batas batik batin batu bau bawa bawah bayang bayar bayi',
      'beban bebas bebek beda bedah bedak begadang bekal bekas beku bela belah belakang belanja',
      'belas beli belia belok beluk benang benar benci benda bendera bengkak bengkel benih bening',
      'bentang bentrok bentuk bentur benua beranda berani beras berat beres beri berita beritahu',
      'berkah berkas bersih beruang besar besi betah betis betul biadab bias biasa biaya bibir',
      'bibit bicara bidang bidik bijak bijaksana bikin bilah bilang bilik bimbang bimbing bina',
      'binasa biner bingung bintang bioskop biro biru bisa bisik bising bisnis bisu blok bobol',
      'bobot bocah bocor bodoh bohong bola bolak boleh bolos bom bongkar bonus borong boros bosan',
      'botol brankas buah buang buat buaya bubar bubuk budak budaya budi bugar build bujet bujuk',
      'buka bukit bukti buku bulan bulat bulu bumbu bumi buncit bundar bundel bunga bungkus buntu',
      'bunuh bunyi bursa buru buruk burung busana busuk buta butir butuh',
      'cabai cabang cabut cacah cacat cache cadang cadar cagar cahaya cair cakap cakup calo calon',
      'campak campur canda candu canggih cangkul cantik cantum capai capek cara cari cat catat',
      'cecer cedera cegah cek cela celah celaka celana celup cemar cemas cembung cemburu cendekia',
      'cendera cenderung cengkam centang cepat cerah cerai ceramah cerdas cerdik ceria cerita',
      'cermat cermin cerna ceroboh cetak cetus cicil cicip cikal cinta cipta ciri cita cium coba',
      'cocok cokelat colek colok comot condong contek contoh corak corong cuaca cuci cucu cuka',
      'cukup cukur culik cuma cumbu cuplik curah curam curang curi curiga curut cuti',
      'dada dadak daerah daftar dagang daging dagu dahsyat dahulu dakwa dalam dalang dalih dalil',
      'damai dampak damping dana danau dandan dangkal dansa dapat dapur darab darah darat daring',
      'darurat dasar dasbor dasi data datang datar datuk daulat daun daya dayung debat debit debu',
      'debug dedikasi definisi defisit degup dekam dekat deklarasi dekomposisi dekorasi dekripsi',
      'delapan delegasi demam demokrasi demonstrasi denda dendam dengar dengki dengkur',
      'denormalisasi denyut depak depan dependensi deploy deras derita desa desah desain desak',
      'desimal desis deskripsi detail detak deteksi detektif detik dewasa diagnosis diagram dialog',
      'diam didik diet digital dikit dikte dinamis dinas dinding dingin dini diplomasi direksi',
      'direktori direktur diri disiplin diskon diskusi distribusi doa dobel dokter dokumen',
      'dokumentasi domain dominan donor dorong dosa dosen download draf dramatis dua duda duduk',
      'duga duka dukun dukung dulu dungu dunia duplikasi duplikat durasi duri dusta duta dwibahasa',
      'edar edit edukasi efek efektif efisien efisiensi egois eja ejek ekonomi ekonomis ekor',
      'ekosistem eksak eksekusi eksklusif ekspansi eksperimen eksplisit ekspor ekspos ekspresi',
      'eksternal ekstrak ekstrem elak elastis elegan elektronik elemen elit elok email embun emosi',
      'empat empati enak enam encer endap energi engkau enkapsulasi enkripsi entah entitas entri',
      'epidemi era erat erosi erti esa esai estetika etalase etika evaluasi evolusi',
      'fajar faksi fakta faktor fana fanatik fantasi fase fasih fasilitas fatal favorit fenomena',
      'festival figur fikir film filosofi filter final finansial firasat fisik fisika fitnah fitur',
      'fleksibel fokus fondasi formal formasi format formula formulir forum foto fotokopi fragmen',
      'frasa frekuensi frustrasi fungsi fungsional fusi',
      'gabah gabung gadai gading gadis gaduh gagah gagal gagap gagas gairah gaji galak galang galat',
      'galeri gali galur gamang gambang gambar gamblang gampang ganas ganda gandeng gandum ganggu',
      'ganjar ganjil ganti gantung gapai garam garansi garap garis garuk gas gaul gaung gawat gaya',
      'gayung gebrak gedung gegabah gejala gelap gelar gelas geledah gelincir gelombang gema gemar',
      'gembira gembok gempa gemuk gemuruh genap gencar gendong generalisasi generasi generik',
      'genggam gengsi gentar gerah gerai gerak gerbang gerbong gereja gerombol gertak gesa gesek',
      'getar gigi gigih gigit gila gilas giling gilir gitar gizi global glosarium goda golok golong',
      'gombal gondok gontai goreng gores gosip gosok gotong grafik grup gua gubah gudang gugat',
      'gugur gugus gula gulat gulir gulung gumam gumpal guna guncang gunting gunung gurau guru',
      'gusar guyur',
      'habis hadang hadap hadiah hadir hafal hajat hak hakim hal halal halaman halang halau halte',
      'halus hamba hambar hambat hambur hamil hampa hampar hampir hancur handal hangat hangus',
      'hantam hantar hantu hanya hanyut hapus harap harfiah harga hari harta haru harum harus hash',
      'hasil hasrat hasut hati hawa hayat hebat hela helai hemat hendak hening hentak henti heran',
      'herbal hewan hias hibur hidang hidup hierarki hijau hikayat hikmah hilang hilir himbau',
      'himpit himpun hina hindar hiperbola hipotesis hirau hirup histori hitam hitung hobi',
      'horizontal hormat hotel hubung hujan hukum hulu humor huni huruf hutan hutang',
      'iba ibadah ibarat ibu ide idempoten identifikasi identitas ideologi idola ijazah ikan ikat',
      'ikhlas ikhtiar ikhtisar iklan iklim ikrar ikut ilham ilmu ilusi imajinasi iman imbang imbas',
      'imbau imbuh imigrasi impi implementasi impor imun inap incar indah indeks indera individu',
      'induk industri informasi infrastruktur ingat inggris ingin ingkar ingus inisialisasi injak',
      'injeksi insan insentif insiden inspeksi inspirasi instal instalasi instans instansi',
      'instruksi intan integrasi integritas intelektual intens intensif interaksi internal',
      'internasional internet interpretasi interupsi interval intervensi inti intip intuisi invasi',
      'investasi investigasi irama iri iring iris irit isak isap isi isolasi istana istilah',
      'istimewa istirahat istri isu iterasi itik izin',
      'jabat jadi jadwal jaga jagat jago jahat jahit jajah jajar jaket jalan jalang jalar jalin',
      'jalur jam jamak jambret jambu jamin jamu janda jangan janggal jangka jangkar jangkau janji',
      'jantung jarak jarang jari jaring jarum jasa jatuh jauh jawab jaya jebak jeda jejak jejal',
      'jejer jelaga jelajah jelas jelek jemaah jembatan jemput jemur jenaka jenggot jenis jenjang',
      'jenuh jera jeram jerat jerih jerit jernih jeruk jinak jingga jiwa jodoh joget jorok jual',
      'juang juara judi judul jujur julang julur jumlah jumpa juri jurnal jurnalis juru jurus',
      'justru juta',
      'kabar kabel kabul kabur kabut kacang kacau kadang kadar kadet kado kafe kaget kagum kain',
      'kait kaji kaki kala kalah kalang kalbu kalem kaleng kali kalimat kalkulasi kalkulator kalung',
      'kamar kamera kampanye kampung kamus kanal kanan kancing kandang kandas kandung kantong',
      'kantor kantuk kapak kapal kapan kapasitas kapital kapur karakter karang karantina karcis',
      'karet karier karikatur kartu karya kasar kasih kasta kasur kasus kata kategori kaum kawan',
      'kawasan kawat kawin kaya kayu kebal kebun kecam kecap kecewa kecil kecoh kecuali kedaluwarsa',
      'kedip kejam kejar keji kejut kekal kelabu kelahi kelam kelap kelas keledai keliling keliru',
      'kelola kelompok keluar keluarga keluh kemah kemarau kemarin kemas kembali kembang kembar',
      'kemeja kempis kemudi kena kenal kenang kencang kendala kendali kendara kendor kental kentara',
      'kepak kepala kepul kepung kera kerabat keramik kerangka kerap keras kerdil kering keris',
      'kerja kertas kerut kesal kesan ketam ketat keteng ketik ketua khas khawatir khayal khianat',
      'khidmat khilaf khotbah khusus kias kiat kibar kikis kilang kilat kilau kilo kimia kinerja',
      'kini kipas kira kirab kiri kirim kisah kita klaim klasifikasi klasik klaster klien klik',
      'klinik klon klub koalisi kobar kocek kocok kode kodifikasi kokoh kolaborasi kolaps kolega',
      'koleksi kolom kolonial komandan kombinasi komedi komentar komersial komik komisi komit',
      'komitmen komoditas kompas kompatibel kompatibilitas kompensasi kompetensi kompetisi',
      'kompilasi kompleks komponen kompres kompresi kompromi komputasi komputer komunikasi',
      'komunitas kondisi koneksi konferensi konfigurasi konfirmasi konflik konglomerat kongres',
      'kongsi konkret konkurensi konsekuensi konseling konsensus konsep konservatif konsisten',
      'konsistensi konstan konstanta konstitusi konstruksi konsultasi konsumsi kontainer kontak',
      'konteks konten kontes kontinu kontra kontrak kontribusi kontributor kontrol kontroversi',
      'konvensi konversi koordinasi kopi korban korek koreksi korelasi korup korupsi kosmetik',
      'kosong kota kotak kotor kredensial krim kriptografi krisis kristal kriteria kritik kritis',
      'kronologi kuali kualitas kuantitas kuasa kuat kubah kubur kuda kueri kuil kuku kuliah kulit',
      'kumpul kumuh kunci kuning kunjung kuno kuota kupas kupon kurang kurasi kurikulum kursi',
      'kursus kurun kurus kurva kusut kutip',
      'labil laboratorium labuh lacak ladang lafal lagu lahan lahap lahir lain lajang laju lakban',
      'laknat lakon laksamana laksana laku lalai lalat lalu lama lamar lambai lamban lambang lambat',
      'lambung lampau lampias lampir lampu lancar landa landai landas langgan langgar langgeng',
      'langit langka langkah langsing langsung lanjur lanjut lantai lantang lantas lantun lapang',
      'lapar lapis lapor lapuk larang lari larik laris larut laskar latah latar latensi latih laut',
      'lawak lawan layak layan layang layar layu lazim lebah lebam lebar lebih ledak legal legenda',
      'legislatif leher lekas lekat lekuk lelah lelang leluasa lelucon lemah lemari lembab lembaga',
      'lembap lembar lembut lempar lempeng lengah lenggang lengkap lengkung lentera lentur lepas',
      'lepuh lereng lestari lesu letak letih letus lewat liang liar libat libur licik licin lidah',
      'lidi lihat lilin lilit lima limbah limpah lincah lindas lindung lingkar lingkung lingkup',
      'lintah lintang lintas lipat lipur liput lirik lisan lisensi literasi liur lobang lobi logam',
      'logika login logo logout lokal lokalisasi lokasi loket lolong lolos lomba lompat loncat',
      'lonceng longgar longsor lonjak loteng loyal luang luap luar luas lubang luber lucu lugas',
      'luhur luka lukis lulus lumayan lumbung lumpuh lumpur lunak lunas luncur luntur lupa luput',
      'luring lurus lusuh lutut',
      'maaf mabuk macam macet maestro mafia magang magnet mahal mahasiswa mahir main majalah',
      'majelis majemuk majikan maju makalah makan maki makin makmur makna makro maksimal maksimum',
      'maksud malam malapetaka malas malu mampat mampir mampu mana manajemen mancanegara mandat',
      'mandi mandiri manfaat mangkuk mangsa manipulasi manis manja mantan mantap mantel mantra',
      'manual manusia marah marga margin mari martabat mas masa masak masalah masing masker massa',
      'masuk masyarakat mata matahari matang matematika materi mati matriks mau mawar medali media',
      'median medis megah meja mekanik mekanisme mekar melarat melati memang memori menang mendung',
      'menit mentah mental menteri mentor menu merah mercu merdeka merek merge mesin mesra meter',
      'metode metrik mewah migrasi mikro mikroskop milenial miliar milik militer mimpi minat minggu',
      'minifikasi minimal minimalisasi minimum minoritas minta minum minyak miring mirip misal misi',
      'miskin misteri mitigasi mitos mobil mobilitas modal mode model modern modifikasi modul modus',
      'mogok mohon monitor monolit moral motif motivasi motor muak mualaf muara muat muda mudah',
      'mudik mufakat mujur muka mula mulai mulas mulia mulut muncul mundur mungil mungkin muntah',
      'murah murid murka murni murung musik musim musnah mustahil musuh musyawarah mutakhir mutasi',
      'mutlak mutu',
      'naas nada nadi nafas nafkah naga naif naik nalar naluri nama nanti napas nasib nasihat',
      'nasional naskah natal negara negatif negeri nekat nelayan nenek neraca netral ngeri niaga',
      'nikah nikel nikmat nilai ningrat nisbah niscaya nista noda nominal nomor norma normal',
      'normalisasi nostalgia notifikasi nuansa nurani nusa nutrisi nyala nyaman nyanyi nyata nyawa',
      'nyeri',
      'obat objek obral obrol observabilitas observasi obsesi oknum oktaf olah olahraga olok ombak',
      'omong ompong onar ongkos operasi opini oplos optimal optimasi optimis optimisasi orang orbit',
      'organ organisasi orientasi orisinal orkestrasi otak otentik otomasi otomatis otomatisasi',
      'otorisasi otot oval',
      'pacak pacar pacu padam padat padi padu pagar pagi paginasi pagu pahala paham pahat pahit',
      'pahlawan pajak pajang pakai pakar paket paksa paling palsu palu paman pamer pamit panah',
      'panas pancar pancing pancung pandai pandang pandemi pandu panel panen panggil panggung',
      'pangkal pangkat panik panitia panjang panjat pantai pantang pantas pantat pantau pantul',
      'papan papar papas para parade paradigma paragraf parah paralel parameter parasit parau parit',
      'parse partai partikel partisi partisipasi paru pasal pasang pasar pasien pasif pasok pasrah',
      'pasti patah patok patroli patuh patung paus pawai payah payung pecah pecat pecut pedas',
      'pedoman pegang pejam peka pekak pekat pelan pelat peleton pelihara pelosok peluang peluh',
      'peluk peluru pena penat pendar pendek penetrasi pengap pengaruh pening peniti penjara pensil',
      'pensiun penting penuh perak peran perang perangkat percaya percik pergi pergok peri perih',
      'periksa perilaku perintah periode perisai peristiwa perkakas perkara perlu pernah peroleh',
      'persen persentil persis persistensi persuasi pertama perut pesan pesat pesta peta petak peti',
      'petik petuah piagam piala piawai picu pidana pidato pihak pijak pijat pikat pikir pikul',
      'pilah pilar pilih pilu pimpin pinang pindah pindai pinggang pinggir pingsan pinjam pintar',
      'pintu pion pipa pipi piring pirsa pisah pisau pita plastik platform pohon poin pojok pokok',
      'pola polisi politik polos polusi pompa pondok ponsel populasi populer porak pori porsi',
      'portal portofolio pos posisi positif potensi potong potret praktik praktis predikat prediksi',
      'preferensi premi presentasi presiden presisi prestasi prestise pria pribadi prima primer',
      'prinsip prioritas privasi privat proaktif produk produksi produktif profesi profesional',
      'profil program progres proklamasi proksi promosi properti proporsi proposal prosedur proses',
      'prospek proteksi protes protokol provinsi proyek psikologi puas publik publikasi pucat pudar',
      'puing pujangga puji pukul pula pulang pulas pulau pulih pull puluh punah puncak punggawa',
      'punggung pungut puntung punya pupuk pupus pura puri pusaka pusar pusat push pusing pustaka',
      'putar putih putra putri putus',
      'query',
      'rabuk rabun racik racun radar radiasi radikal radio raga ragam ragu rahasia rahim raih raja',
      'rajin rajut rakit rakus rakyat ramah ramai ramal rambah ramban rambu rambut rampas ramping',
      'rampok rampung ranah rancah rancang rancu rangka rangkai rangking rangkul rangkum rangsang',
      'ranjang ransel rantai rantau rapat rapi rapuh rasa rasio rasional rata ratap ratus rawa',
      'rawan rawat raya rayap rayu reaksi reaktif realisasi realistis rebus rebut redaksi',
      'redundansi redup refactor refaktor referensi refleksi reformasi regional registrasi regresi',
      'regulasi reka rekam rekan rekat rekayasa rekening reklame rekomendasi rekreasi rekrut',
      'rekursi rela relasi relasional relevan remaja remeh rempah remuk renang rencana renda rendah',
      'render rentan rentang renung replikasi repositori repot representasi reproduksi reputasi',
      'resah resap resep resepsi reservasi residu resmi resolusi respons restart restoran retak',
      'review revisi revolusi riak riang rias ribu rilis rimba rinci rindu ringan ringkas rintang',
      'rintis risiko riwayat robek robot roda rohani rokok rollback romantis rombak ronda rongga',
      'rongsok rontok rotan rotasi ruang rugi rujuk rumah rumit rumpun rumput rumus runcing runding',
      'rundung runtuh runtun runut rupa rusak rusuh rute rutin',
      'sabar sabet sabuk sabun sadap sadar sadis sadur sah sahabat sahut saing sajak saji sakit',
      'sakral saksama saksi saku salah salahguna salak salam salin saling salur sama samar sambal',
      'sambung sambut sampah sampai sampel samping sampul samudra sana sanak sandang sandar sandi',
      'sangat sanggup sangka sangkut sanitasi sanksi santai santap santri santun sapa sapu saraf',
      'saran sarana sarang saring sarung sasar satai satelit satpam satu saudara sawah sayang sayap',
      'sayur sebab sebar sebut sedap sedekah sederhana sedia sedih sedikit segan segar segel segi',
      'sehat seimbang sejahtera sejarah sejuk sekaligus sekarang sekat sekolah sekretaris seksama',
      'sektor sekuensial sekuritas sela selamat selang selaras selebriti seleksi selera selesai',
      'selidik selimut seling selip seluruh semai semangat semantik semat sembah sembelih sembilan',
      'sembuh sembunyi semen sementara sempat sempit semprot sempurna semua senam senang sendiri',
      'sendok sengaja sengat sengketa seni senja sensitif sensus sentral sentuh sepakat sepeda',
      'sepele sepi seragam serah serak serang serap serasi serba serbu serentak seret sergap',
      'serialisasi serikat sering serius serta sertifikasi sertifikat server sesak sesal sesat sesi',
      'sesuai setel setia setor setuju sewa sia siaga sial siang siap siber sibuk sidang sidik',
      'sifat sigap sikap sikat siklus siksa sikut silam silang silau simak simbol simpan simpang',
      'simpati simpul simulasi sinar sinergi singgah singkat singkir sini sinkron sinkronisasi',
      'sinyal sipil siram sirat sirkuit sirkulasi sisa sisi sisih sisip sisir sistem sistematis',
      'siswa situ situasi situs skala skalabilitas skandal skema skenario skeptis sketsa skrip',
      'slogan soal sobek sodor sogok soket solid solusi sombong sopan sorak sore sorot sosial',
      'sosialisasi spesialis spesifik spesifikasi spontan stabil stabilitas stadion standar',
      'standardisasi statis statistik status stok strategi stres struktur studi suam suara suasana',
      'subjek subsidi substansi subur sudah sudut suguh suka sukar sukses suku sulap suling sulit',
      'sulut sumbang sumbat sumber sumbu sumpah sunat sungai sungguh sungkan suntik sunting sunyi',
      'supir surat surel surga suruh surut survei susah susu susul susun susup susut swasta syair',
      'syarat syarikat syiar syukur',
      'tabel tabrak tabu tabung tabur tadah tadi tafsir tagar tagih tahan tahap tahta tahu tahun',
      'tajam tajir tajuk takar takbir takdir taksi taktik takut talang tali taman tamat tambah',
      'tambak tambal tambang tampak tampan tampil tampung tamsil tamu tanah tanak tanam tanda',
      'tandatangan tanding tangan tangga tanggal tanggap tanggung tanggungjawab tangis tangkai',
      'tangkap tangki tangkis tanjak tanpa tantang tanya tapak tapis tara tari tarif tarik taruh',
      'tata tatap taut tawa tawan tawar tayang tebak tebal tebang tebus teduh tegak tegang tegas',
      'teguh tekad tekan teknik teknis teknologi teks tekuk tekun telaah teladan telan telanjang',
      'telapak telat teledor telepon televisi telinga teliti teluk telur telusur tema teman tembaga',
      'tembak tembok tembolok tembus tempa tempat tempel tempuh tempur temu tenaga tenang tenar',
      'tenda tendang tengadah tengah tenggat tenggelam tentang tentara tentram tentu tenun tepat',
      'tepi tepuk terampil terang terap terapi teras terbang terbit terima terjang terjemah',
      'terminal terobos teror tertib terus tes tetap tiang tiba tidur tiga tikai tikam tiket tikus',
      'tilang tim timah timba timbang timbul timbun timpa timpang timur tindak tindas tindih',
      'tinggal tinggi tingkat tinja tinjau tinju tip tipe tipis tipu tiru titik titip tiup token',
      'toko tokoh tolak toleransi tolok tolong tomat tombol tonjol tonton topang topik total',
      'tradisi tragedi trampil transaksi transfer transformasi transisi transmisi transparan',
      'transparansi transportasi tren trik triliun tua tuan tubuh tuduh tugas tuhan tuju tujuh',
      'tukang tukar tulang tular tulis tulus tumbang tumbuh tumpah tumpuk tumpul tunai tunas tunda',
      'tunggal tunggu tunjang tunjuk tuntas tuntun tuntut tupai turis turun turut tusuk tutor',
      'tutorial tutup tutur',
      'ubah ucap udang udara ujar uji ujung ukir ukur ulah ulama ulang ulas ulat ulet ulur umbar',
      'umpama umpan umpat umum umur undang unduh undur unggah unggas unggul ungkap unik unit',
      'universitas unjuk unsur untai untung upacara upah upaya update upload urai urat urban urgen',
      'urus urut usaha usai usang usia usik usir usul usut utama utang utara utas utuh utus',
      'vaksin valid validasi variabel varian variasi verifikasi versi virtualisasi visual',
      'visualisasi vital vokal volume',
      'wabah wacana wadah wafat wahana wajah wajar wajib wakil waktu wali wangi wangsit warga waris',
      'warna warta warung wasit waspada wawancara wawasan wayang wewenang wilayah wiraswasta wisata',
      'wisuda wujud',
      'yakin yatim yayasan',
      'zakat zalim zaman ziarah zona'
    ].join(' ')

    function toSet (words) {
      var set = Object.create(null)
      words.split(/\s+/).forEach(function (word) { if (word) set[word] = true })
      return set
    }

    var ROOT = toSet(ROOTS)
    var STOP = toSet(STOP_WORDS)
    var VOWELS = 'aiueo'

    function isVowel (c) { return !!c && VOWELS.indexOf(c) !== -1 }
    function isRoot (word) { return ROOT[word] === true }
    var lookup = isRoot // swapped by candidates() to record what the rules try

    /*
     * Derivational prefixes: every way the start of `word` may be read as a prefix, in the order
     * of the ECS rules (numbered as in the ECS papers and Sastrawi's disambiguators). Each entry is
     * [rest, prefix]; the rest is only accepted later if it (or what it leads to) is a root.
     * Infix rules (-el-, -em-, -er-, -in-) and the ku-/kau- proclitics are left out: rare in
     * technical prose, and a source of false roots with a short root list.
     */
    function prefixReadings (word) {
      var out = []
      var c2 = word.charAt(2), c3 = word.charAt(3), c4 = word.charAt(4)
      function add (rest, prefix) { if (rest.length >= 2) out.push([rest, prefix]) }
      function isIn (letters, c) { return c !== '' && letters.indexOf(c) !== -1 }

      switch (word.slice(0, 2)) {
        case 'di': case 'ke': case 'se':
          add(word.slice(2), word.slice(0, 2))
          break

        case 'be':
          if (c2 === 'r') {
            if (isVowel(c3)) { add(word.slice(3), 'be'); add(word.slice(2), 'be') } // 1a, 1b
            else if (c3 !== 'r') add(word.slice(3), 'be') // 2, 3
          }
          if (word.slice(0, 7) === 'belajar') add(word.slice(3), 'be') // 4
          if (!isVowel(c2) && c2 !== 'r' && c2 !== 'l' && word.slice(3, 5) === 'er' &&
              !isVowel(word.charAt(5))) add(word.slice(2), 'be') // 5: bekerja
          break

        case 'te':
          if (c2 === 'r') {
            if (isVowel(c3)) { add(word.slice(3), 'te'); add(word.slice(2), 'te') } // 6a, 6b
            else if (c3 !== 'r') add(word.slice(3), 'te') // 7, 8, 35
          }
          if (!isVowel(c2) && c2 !== 'r' && word.slice(3, 5) === 'er' &&
              !isVowel(word.charAt(5))) add(word.slice(2), 'te') // 9
          break

        case 'me':
          if (isIn('lrwy', c2) && isVowel(c3)) add(word.slice(2), 'me') // 10
          if (c2 === 'm') {
            if (isIn('bfv', c3)) add(word.slice(3), 'me') // 11
            else if (c3 === 'p') add(word.slice(3), 'me') // 12 (mempe-), 19
            else if (isVowel(c3) || (c3 === 'r' && isVowel(c4))) {
              add('m' + word.slice(3), 'me'); add('p' + word.slice(3), 'me') // 13a, 13b
            }
          } else if (c2 === 'n') {
            if (isIn('cdjstz', c3)) add(word.slice(3), 'me') // 14
            else if (isVowel(c3)) { add('n' + word.slice(3), 'me'); add('t' + word.slice(3), 'me') } // 15a, 15b
            else if (c3 === 'g') {
              if (isIn('ghqk', c4)) add(word.slice(4), 'me') // 16
              else if (isVowel(c4)) {
                add(word.slice(4), 'me'); add('k' + word.slice(4), 'me') // 17a, 17b
                if (c4 === 'e') add(word.slice(5), 'me') // 17c: mengebom
                add(word.slice(2), 'me') // 17d
              }
            } else if (c3 === 'y' && isVowel(c4)) {
              add('ny' + word.slice(4), 'me'); add('s' + word.slice(4), 'me') // 18a, 18b
            }
          }
          break

        case 'pe':
          if ((c2 === 'w' || c2 === 'y') && isVowel(c3)) add(word.slice(2), 'pe') // 20
          if (c2 === 'r') {
            if (isVowel(c3)) { add(word.slice(3), 'per'); add(word.slice(2), 'per') } // 21a, 21b
            else if (c3 !== 'r') add(word.slice(3), 'per') // 23, 24
          } else if (c2 === 'm') {
            if (isIn('bfv', c3)) add(word.slice(3), 'pe') // 25
            else if (isVowel(c3) || (c3 === 'r' && isVowel(c4))) {
              add('m' + word.slice(3), 'pe'); add('p' + word.slice(3), 'pe') // 26a, 26b
            }
          } else if (c2 === 'n') {
            if (isIn('cdjstz', c3)) add(word.slice(3), 'pe') // 27
            else if (isVowel(c3)) { add('n' + word.slice(3), 'pe'); add('t' + word.slice(3), 'pe') } // 28a, 28b
            else if (c3 === 'g') {
              if (isIn('ghqk', c4)) add(word.slice(4), 'pe') // 29
              else if (isVowel(c4)) {
                add(word.slice(4), 'pe'); add('k' + word.slice(4), 'pe') // 30a, 30b
                if (c4 === 'e') add(word.slice(5), 'pe') // 30c: pengebom
              }
            } else if (c3 === 'y' && isVowel(c4)) {
              add('ny' + word.slice(4), 'pe'); add('s' + word.slice(4), 'pe') // 31a, 31b
            }
          } else if (c2 === 'l') {
            if (word.slice(0, 7) === 'pelajar') add(word.slice(3), 'pe') // 32 (exception)
            else if (isVowel(c3)) add(word.slice(2), 'pe') // 32
          } else if (c2 !== '' && !isVowel(c2) && !isIn('wy', c2)) {
            add(word.slice(2), 'pe') // 33, 34, 36: petani, pekerja
          }
          break
      }
      return out
    }

    /*
     * Prefix + suffix pairs that never form a confix (first prefix, removed suffix): the ECS
     * list, plus peN-...-kan ("penarikan" is peN-...-an on "tarik", not "tari" + -kan).
     */
    var DISALLOWED = {
      'be-i': 1, 'di-an': 1, 'ke-i': 1, 'ke-kan': 1, 'me-an': 1, 'se-i': 1, 'se-kan': 1,
      'te-an': 1, 'pe-kan': 1
    }

    /*
     * Every reading of `word` with one, two or three derivational prefixes removed, breadth first
     * (one prefix before two), skipping a prefix read twice in a row and disallowed confixes.
     */
    function withoutPrefixes (word, suffix) {
      var out = []
      var level = [[word, '']]
      for (var depth = 0; depth < 3 && level.length; depth++) {
        var next = []
        for (var i = 0; i < level.length; i++) {
          var readings = prefixReadings(level[i][0])
          for (var j = 0; j < readings.length; j++) {
            var rest = readings[j][0], prefix = readings[j][1]
            if (prefix === level[i][1]) continue
            if (depth === 0 && suffix && DISALLOWED[prefix + '-' + suffix]) continue
            out.push(rest)
            next.push([rest, prefix])
          }
        }
        level = next
      }
      return out
    }

    /*
     * Inflectional then derivational suffixes: the word after each removal, in order
     * ([word, -particle, -possessive, -derivational]), with the derivational suffix removed.
     */
    function suffixSteps (word) {
      var steps = [word], suffix = '', m
      if ((m = /^(.+?)(lah|kah|tah|pun)$/.exec(word)) && m[1].length >= 2) steps.push(word = m[1])
      if ((m = /^(.+?)(ku|mu|nya)$/.exec(word)) && m[1].length >= 2) steps.push(word = m[1])
      if ((m = /^(.+?)(kan|an|i)$/.exec(word)) && m[1].length >= 2) {
        steps.push(m[1])
        suffix = m[2]
      }
      return { steps: steps, suffix: suffix }
    }

    function firstRoot (words) {
      for (var i = 0; i < words.length; i++) if (lookup(words[i])) return words[i]
      return null
    }

    /* ECS on a word without hyphen; returns the root, or the word itself when none is found. */
    function stemSingular (word) {
      if (word.length <= 3 || lookup(word)) return word
      var found

      // Precedence adjustment: be-...-lah, be-...-an, me-/di-/pe-/ter-...-i try prefixes first.
      if (/^be.+(lah|an)$/.test(word) || /^(di|me|pe|ter).+i$/.test(word)) {
        var bare = withoutPrefixes(word, '')
        for (var i = 0; i < bare.length; i++) {
          if (lookup(bare[i])) return bare[i]
          if ((found = firstRoot(suffixSteps(bare[i]).steps.slice(1)))) return found
        }
      }

      // Suffixes first, then prefixes on what is left.
      var s = suffixSteps(word), steps = s.steps, last = steps.length - 1
      if ((found = firstRoot(steps.slice(1)))) return found
      var removed = s.suffix ? s.suffix : ''
      if ((found = firstRoot(withoutPrefixes(steps[last], removed)))) return found

      // Restoring suffixes ("pengembalian akhiran"): -kan may have been -k + -an, then put back
      // the derivational suffix, then the inflectional ones.
      if (removed === 'kan') {
        var withK = steps[last] + 'k'
        if (lookup(withK)) return withK
        if ((found = firstRoot(withoutPrefixes(withK, 'an')))) return found
      }
      for (var k = last - 1; k >= 0; k--) {
        if ((found = firstRoot(withoutPrefixes(steps[k], '')))) return found
      }
      return word
    }

    /* Reduplication: "tabel-tabel", "bermain-main", "buku-bukunya" -> one root. */
    function stemPlural (word) {
      var parts = word.split('-')
      if (parts.length !== 2) return word
      var a = stemSingular(parts[0])
      if (a === stemSingular(parts[1])) return a
      var steps = suffixSteps(parts[1]).steps
      for (var i = 1; i < steps.length; i++) if (steps[i] === parts[0]) return a
      return word
    }

    var cache = Object.create(null)

    /*
     * The root of an Indonesian word (lower case), or the word itself when none is known or the
     * word is a stop word (kemudian is not kemudi + -an, tetapi not tetap + -i).
     */
    function stem (word) {
      if (word in cache) return cache[word]
      var result = word
      if (!STOP[word] && /^[a-z]+(-[a-z]+)*$/.test(word)) {
        result = word.indexOf('-') === -1 ? stemSingular(word) : stemPlural(word)
      }
      return (cache[word] = result)
    }

    /* ---------------------------------------------------------------- lunr plugin ---------- */

    lunr.id = function () {
      this.pipeline.reset()
      this.pipeline.add(lunr.id.trimmer, lunr.id.stopWordFilter, lunr.id.stemmer)
      if (this.searchPipeline) {
        this.searchPipeline.reset()
        this.searchPipeline.add(lunr.id.stemmer)
      }
    }

    /* Letters of Latin script and digits (port numbers, status codes, HTTP/2). */
    lunr.id.wordCharacters = 'A-Za-z0-9\xAA\xBA\xC0-\xD6\xD8-\xF6\xF8-\u024F'
    var trimStart = new RegExp('^[^' + lunr.id.wordCharacters + ']+')
    var trimEnd = new RegExp('[^' + lunr.id.wordCharacters + ']+$')
    lunr.id.trimmer = function (token) {
      return token.update(function (s) { return s.replace(trimStart, '').replace(trimEnd, '') })
    }
    lunr.Pipeline.registerFunction(lunr.id.trimmer, 'trimmer-id')

    lunr.id.stopWordFilter = lunr.generateStopWordFilter(STOP_WORDS.split(/\s+/).filter(Boolean))
    lunr.Pipeline.registerFunction(lunr.id.stopWordFilter, 'stopWordFilter-id')

    /* Keeps the token and adds its root at the same position (lunr.keepstem.js). */
    lunr.id.stemmer = lunr.keepStem(stem, function (word) { return STOP[word] === true })
    lunr.Pipeline.registerFunction(lunr.id.stemmer, 'stemmer-id')

    lunr.id.stem = stem
    lunr.id.isRoot = isRoot
    /* Every root candidate the rules try for a word, in order (for scripts/stemmer_vocab.mjs). */
    lunr.id.candidates = function (word) {
      var tried = []
      lookup = function (w) { if (tried.indexOf(w) === -1) tried.push(w); return false }
      try { stemSingular(word) } finally { lookup = isRoot }
      return tried.filter(function (w) { return w !== word })
    }
    lunr.id.isStopWord = function (word) { return STOP[word] === true }
  }
}))
