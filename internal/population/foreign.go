package population

// community is a foreign community living in Italy: its citizenship and
// the names its people carry, spelled as their documents spell them
// (Romanian ş, ţ, ă; Albanian ë, ç), because those are the names the
// anagrafe registers and the codice fiscale must fold.
type community struct {
	iso3     string  // citizenship; the Z code of birth is looked up by it
	weight   float64 // share among the foreign residents (ISTAT, 2023, rounded)
	surnames []string
	male     []string
	female   []string
	// doubleSurname: people carry two surnames, the father's first and the
	// mother's first (Spanish-speaking America).
	doubleSurname bool
}

// communities are the largest foreign communities of Lombardy. A community
// whose state is missing from the tables is left out.
var communities = []community{
	{iso3: "ROU", weight: 22,
		surnames: []string{"Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei", "Ciobanu", "Rusu", "Munteanu", "Constantin", "Ştefănescu", "Rădulescu", "Niţă", "Mihăilă", "Lungu", "Toma", "Dinu", "Marinescu", "Florea", "Tănase"},
		male:     []string{"Andrei", "Alexandru", "Ionuţ", "Mihai", "Gheorghe", "Ion", "Vasile", "Constantin", "Florin", "Marius", "Cătălin", "Bogdan", "Adrian", "Cristian", "Ştefan", "Gabriel", "Răzvan", "Nicolae"},
		female:   []string{"Maria", "Elena", "Ioana", "Andreea", "Mihaela", "Alexandra", "Cristina", "Gabriela", "Florentina", "Georgiana", "Ana-Maria", "Simona", "Daniela", "Larisa", "Mădălina", "Roxana", "Denisa", "Loredana"}},
	{iso3: "ALB", weight: 10,
		surnames: []string{"Hoxha", "Çela", "Shehu", "Dervishi", "Gjoka", "Kola", "Leka", "Marku", "Prifti", "Xhafa", "Bregu", "Meta", "Dushku", "Zeneli", "Hysa", "Basha", "Gjoni", "Kurti", "Murati", "Bejko", "Lleshi", "Tafa"},
		male:     []string{"Ardit", "Erion", "Besnik", "Dritan", "Ermal", "Gëzim", "Arbër", "Klodian", "Altin", "Fatmir", "Artan", "Blerim", "Edmond", "Genci", "Ilir", "Kledi", "Endri", "Sokol"},
		female:   []string{"Elira", "Klodiana", "Blerina", "Fatjona", "Anila", "Alketa", "Brunilda", "Elona", "Entela", "Ermira", "Jonida", "Valbona", "Mimoza", "Rozafa", "Xhensila", "Ajola", "Dorina", "Teuta"}},
	{iso3: "MAR", weight: 10,
		surnames: []string{"El Amrani", "Benali", "El Idrissi", "Bouazza", "Haddad", "Ait Ali", "El Fassi", "Chakir", "Ouali", "Zahir", "Bennani", "El Khatib", "Tazi", "Alaoui", "Berrada", "El Mansouri", "Belkadi", "Aziz", "Ouazzani", "Lahlou"},
		male:     []string{"Mohamed", "Youssef", "Ahmed", "Hamza", "Rachid", "Said", "Karim", "Mustapha", "Abdelkader", "Hassan", "Omar", "Ayoub", "Adil", "Nabil", "Mehdi", "Khalid", "Driss", "Anas"},
		female:   []string{"Fatima", "Khadija", "Nadia", "Amina", "Imane", "Salma", "Zineb", "Hanane", "Malika", "Naima", "Samira", "Latifa", "Meryem", "Hajar", "Soukaina", "Asmae", "Ikram", "Yasmine"}},
	{iso3: "CHN", weight: 8,
		surnames: []string{"Hu", "Zhou", "Chen", "Wang", "Lin", "Zhang", "Liu", "Huang", "Ye", "Xu", "Zheng", "Wu", "Jin", "Pan", "Ji", "Yang", "Zhu", "Li"},
		male:     []string{"Wei", "Jian", "Hui", "Jun", "Lei", "Ming", "Xiaoming", "Jianguo", "Zhiwei", "Hao", "Yong", "Qiang", "Bin", "Tao", "Jiahao", "Zihan", "Yifan", "Haoran"},
		female:   []string{"Jing", "Li", "Yan", "Mei", "Xiaoli", "Hong", "Fang", "Lili", "Xiaoyan", "Yuxin", "Jiayi", "Ying", "Hui", "Na", "Min", "Ling", "Xin", "Yue"}},
	{iso3: "UKR", weight: 6,
		surnames: []string{"Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko", "Oliynyk", "Moroz", "Lysenko", "Koval", "Petrenko", "Marchenko", "Savchenko", "Rudenko", "Polishchuk", "Tkachuk", "Kovalchuk"},
		male:     []string{"Andriy", "Oleksandr", "Vasyl", "Mykola", "Volodymyr", "Serhiy", "Ivan", "Yuriy", "Dmytro", "Taras", "Petro", "Bohdan", "Oleh", "Roman", "Ihor", "Maksym", "Artem", "Vitaliy"},
		female:   []string{"Olena", "Oksana", "Nataliya", "Tetyana", "Iryna", "Svitlana", "Halyna", "Lyudmyla", "Mariya", "Yuliya", "Olha", "Nadiya", "Kateryna", "Larysa", "Valentyna", "Anastasiya", "Viktoriya", "Khrystyna"}},
	{iso3: "PHL", weight: 7,
		surnames: []string{"Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Dela Cruz", "Villanueva", "Ramos", "Aquino", "De Guzman", "Del Rosario", "Castillo", "Torres", "Flores", "Gonzales", "Manalo", "Soriano", "Pascual", "Dizon"},
		male:     []string{"Jose", "Mark Anthony", "Jonathan", "Rommel", "Juan Carlos", "Ramon", "Ricardo", "Eduardo", "Rodel", "Jerome", "Joel", "Noel", "Arnel", "Jericho", "John Paul", "Christian", "Ryan", "Jayson"},
		female:   []string{"Maria Cristina", "Rosalie", "Jennifer", "Marites", "Maricel", "Jocelyn", "Lorna", "Analyn", "Maria Luisa", "Rowena", "Girlie", "Joy", "Lovely", "Princess", "Angelica", "Rhea", "Mary Grace", "Kristine"}},
	{iso3: "EGY", weight: 7,
		surnames: []string{"Mohamed", "Ahmed", "Hassan", "Ali", "Ibrahim", "Mahmoud", "Abdelrahman", "El Sayed", "Mostafa", "Farouk", "Salem", "Gamal", "Youssef", "Abdallah", "Hamdy", "Fawzy"},
		male:     []string{"Mohamed", "Ahmed", "Mahmoud", "Mostafa", "Amr", "Tarek", "Karim", "Hany", "Sherif", "Wael", "Khaled", "Islam", "Ayman", "Osama"},
		female:   []string{"Fatma", "Mariam", "Nour", "Aya", "Heba", "Dina", "Rania", "Yasmin", "Shaimaa", "Mona", "Salma", "Nesma", "Doaa", "Eman"}},
	{iso3: "PER", weight: 5, doubleSurname: true,
		surnames: []string{"Quispe", "Flores", "Huamán", "Mamani", "Rojas", "Sánchez", "García", "Rodríguez", "Chávez", "Vásquez", "Ramírez", "Torres", "Mendoza", "Gutiérrez", "Castillo", "Espinoza", "Díaz", "Ccori"},
		male:     []string{"José Luis", "Juan Carlos", "Luis Alberto", "Jorge", "Carlos", "César", "Víctor", "Miguel Ángel", "Edwin", "Wilmer", "Jhon", "Percy", "Freddy", "Walter"},
		female:   []string{"Rosa", "María Elena", "Ana María", "Carmen", "Liliana", "Gladys", "Milagros", "Yesenia", "Maribel", "Flor", "Marleny", "Rocío", "Janet", "Kelly"}},
	{iso3: "IND", weight: 4,
		surnames: []string{"Singh", "Kaur", "Kumar", "Sharma", "Sidhu", "Gill", "Sandhu", "Dhillon", "Brar", "Grewal", "Patel", "Chand", "Lal", "Thakur"},
		male:     []string{"Gurpreet", "Manpreet", "Jaswinder", "Sukhwinder", "Rajesh", "Amit", "Sandeep", "Kulwinder", "Baljit", "Ravinder", "Paramjit", "Lakhvir", "Harjit", "Gurdeep"},
		female:   []string{"Harpreet", "Jaspreet", "Simran", "Navneet", "Rajwinder", "Kiran", "Amandeep", "Pooja", "Priya", "Sunita", "Ramandeep", "Balwinder", "Manjit", "Parminder"}},
	{iso3: "BGD", weight: 4,
		surnames: []string{"Hossain", "Rahman", "Islam", "Ahmed", "Uddin", "Akter", "Begum", "Miah", "Khan", "Chowdhury", "Alam", "Sarker", "Haque", "Talukder"},
		male:     []string{"Mohammad", "Abdul", "Rafiqul", "Shahidul", "Kamal", "Jamal", "Habib", "Rashed", "Mizanur", "Arif", "Sohel", "Rubel", "Masud", "Shakil"},
		female:   []string{"Nasrin", "Fatema", "Sultana", "Rokeya", "Shirin", "Taslima", "Rina", "Salma", "Jannatul", "Sharmin", "Mousumi", "Farzana", "Sumaiya", "Nusrat"}},
	{iso3: "SEN", weight: 3,
		surnames: []string{"Diop", "Ndiaye", "Fall", "Sow", "Diallo", "Gueye", "Faye", "Mbaye", "Sarr", "Seck", "Ba", "Cissé", "Diouf", "Thiam", "Niang", "Sy", "Kane", "Ndoye"},
		male:     []string{"Mamadou", "Moussa", "Ibrahima", "Cheikh", "Abdoulaye", "Ousmane", "Modou", "Pape", "Babacar", "Amadou", "Serigne", "Saliou", "Aliou", "Lamine"},
		female:   []string{"Fatou", "Aminata", "Awa", "Mariama", "Ndeye", "Khady", "Coumba", "Astou", "Bineta", "Aïssatou", "Rokhaya", "Sokhna", "Adama", "Dieynaba"}},
	{iso3: "MDA", weight: 3,
		surnames: []string{"Rusu", "Ceban", "Ciobanu", "Ţurcanu", "Lungu", "Munteanu", "Cojocaru", "Rotaru", "Bivol", "Cazacu", "Guţu", "Sârbu", "Plămădeală", "Roşca"},
		male:     []string{"Ion", "Vasile", "Sergiu", "Victor", "Alexandru", "Andrei", "Igor", "Vitalie", "Dumitru", "Nicolae", "Iurie", "Oleg", "Veaceslav", "Radu"},
		female:   []string{"Maria", "Ana", "Natalia", "Tatiana", "Elena", "Svetlana", "Olga", "Irina", "Cristina", "Ludmila", "Galina", "Doina", "Liliana", "Valentina"}},
}

// bornAbroadISO3 are the states where Italians living in Lombardy were born
// when they were not born in Italy: the children of the emigrants who came
// back from Switzerland, Germany, France, Belgium and South America.
var bornAbroadISO3 = []string{"CHE", "DEU", "FRA", "BEL", "ARG", "BRA", "GBR", "USA", "VEN"}
