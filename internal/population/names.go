package population

// Italian surnames: the most common ones nationally (Rossi, Russo, Ferrari…),
// the Lombard ones a comune around Milano is full of (Brambilla, Fumagalli),
// and on purpose the shapes that trip software up: particles (De Luca, Lo
// Russo, Dalla Costa), apostrophes (D'Angelo, Dell'Acqua) and final accents
// (Nicolò, Cantù). The order is rough frequency: surnameWeight favours the
// first ones, so that omonyms (and omocodia) happen as they do in life.
var italianSurnames = []string{
	"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
	"Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
	"Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone",
	"Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti",
	"Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini",
	"Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina", "Rizzi", "Monti",
	"Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Grassi", "Pellegrino", "Carbone", "Giuliani",
	"Benedetti", "Barone", "Rossetti", "Caputo", "Montanari", "Guerra", "Palmieri", "Bernardi", "Martino", "Fiore",
	"De Rosa", "Ferretti", "Bellini", "Basile", "Riva", "Donati", "Piras", "Vitali", "Battaglia", "Sartori",
	"Neri", "Costantini", "Milani", "Pagano", "Ruggiero", "Sorrentino", "D'Amico", "Orlando", "Negri", "Fumagalli",
	"Brambilla", "Galbiati", "Bonfanti", "Cazzaniga", "Mauri", "Sironi", "Crippa", "Ronchi", "Pozzi", "Radaelli",
	"Confalonieri", "Beretta", "Meroni", "Redaelli", "Motta", "Oggioni", "Longoni", "Tagliabue", "Zanetti", "Zappa",
	"Vergani", "Arosio", "Fossati", "Bassi", "Rota", "Locatelli", "Pirola", "Cereda", "Di Stefano", "Di Giovanni",
	"Di Pietro", "Di Marco", "Lo Russo", "Lo Presti", "La Rosa", "La Torre", "Li Causi", "Lo Bianco", "Lo Cascio", "Dell'Acqua",
	"Dell'Orto", "Dell'Aquila", "D'Alessandro", "D'Agostino", "D'Antonio", "D'Onofrio", "De Simone", "De Marco", "Del Prete", "Del Vecchio",
	"Della Valle", "Dalla Costa", "Dal Maso", "Da Ros", "Delli Carri", "Santangelo", "Sciortino", "Cusumano", "Scalia", "Catalano",
	"Parrinello", "Pirrò", "Calò", "Mazzà", "Nicolò", "Niccolò", "Cantù", "Donà", "Tomè", "Zanella",
	"Zanon", "Bortolotti", "Furlan", "Visentin", "Pavan", "Zago", "Zanin", "Barbiero", "Trevisan", "Carraro",
	"Dal Molin", "Da Re", "Pinna", "Melis", "Mura", "Deiana", "Loi", "Porcu", "Cossu", "Fadda",
	"Aiello", "Albanese", "Barbera", "Bellomo", "Bonanno", "Cirillo", "Cocco", "Colella", "Cristiani", "Cuccurullo",
	"Falco", "Fiorentino", "Gagliardi", "Giannini", "Iannone", "Iacono", "Lentini", "Lupo", "Mele", "Miceli",
	"Napolitano", "Nardi", "Orsini", "Palma", "Pace", "Perrone", "Piazza", "Poli", "Quaranta", "Raimondi",
	"Ricciardi", "Romeo", "Sacco", "Salerno", "Santini", "Scotti", "Spina", "Tedesco", "Tosi", "Valente",
	"Vaccaro", "Zito", "Zucca", "Capuano", "Marras", "Sant'Ambrogio", "Dall'Olio", "Degli Esposti", "Lo Iacono", "Di Nardo",
}

// Given names by generation. Counters see Giuseppe and Maria at 85, Andrea
// and Laura at 55, Leonardo and Sofia at 8: names are drawn from the list of
// the person's generation (mostly), which is what makes the people of a demo
// look like an anagrafe rather than a random table. Some names are double
// (Maria Grazia, Gian Luca): the codice fiscale uses all of them.
var (
	maleOld = []string{
		"Giuseppe", "Giovanni", "Antonio", "Mario", "Luigi", "Francesco", "Angelo", "Vincenzo", "Pietro", "Salvatore",
		"Carlo", "Franco", "Domenico", "Bruno", "Paolo", "Michele", "Giorgio", "Aldo", "Sergio", "Luciano",
		"Renato", "Enzo", "Umberto", "Ernesto", "Gino", "Guido", "Piero", "Raffaele", "Gaetano", "Nicola",
		"Rocco", "Armando", "Cesare", "Ettore", "Fausto", "Felice", "Giancarlo", "Gianfranco", "Italo", "Lino",
		"Livio", "Nino", "Ottavio", "Primo", "Rino", "Silvio", "Tullio", "Vittorio", "Pier Luigi", "Gian Piero",
		"Emilio", "Ezio", "Adriano", "Alfredo", "Arturo", "Bortolo", "Dino", "Egidio", "Osvaldo", "Teodoro",
	}
	maleMid = []string{
		"Roberto", "Alberto", "Claudio", "Massimo", "Maurizio", "Stefano", "Fabio", "Marco", "Andrea", "Luca",
		"Alessandro", "Davide", "Simone", "Daniele", "Walter", "Gianni", "Dario", "Paolo", "Giorgio", "Riccardo",
		"Emanuele", "Federico", "Cristian", "Alessio", "Gian Luca", "Gian Marco", "Pier Paolo", "Fabrizio", "Giampaolo", "Mauro",
		"Ivan", "Moreno", "Omar", "Valerio", "Cristiano", "Diego", "Enrico", "Franco", "Marcello", "Nicola",
	}
	maleYoung = []string{
		"Leonardo", "Francesco", "Alessandro", "Lorenzo", "Mattia", "Andrea", "Gabriele", "Riccardo", "Tommaso", "Edoardo",
		"Matteo", "Giuseppe", "Nicolò", "Niccolò", "Antonio", "Federico", "Diego", "Davide", "Christian", "Giovanni",
		"Pietro", "Filippo", "Samuele", "Michele", "Manuel", "Jacopo", "Elia", "Giacomo", "Emanuele", "Marco",
		"Luca", "Simone", "Alessio", "Enea", "Achille", "Ludovico", "Gioele", "Thomas", "Kevin", "Noah",
		"Giulio", "Cesare", "Vittorio", "Sebastiano", "Raffaele", "Daniele", "Mattia", "Ettore", "Brando", "Liam",
	}
	femaleOld = []string{
		"Maria", "Anna", "Giuseppina", "Rosa", "Angela", "Giovanna", "Teresa", "Lucia", "Carmela", "Caterina",
		"Antonietta", "Carla", "Elena", "Concetta", "Rita", "Margherita", "Franca", "Luisa", "Assunta", "Filomena",
		"Lina", "Bruna", "Ada", "Adele", "Agnese", "Alba", "Amalia", "Gina", "Iolanda", "Ines",
		"Irma", "Liliana", "Lidia", "Marisa", "Nella", "Olga", "Pierina", "Rosaria", "Santa", "Vincenza",
		"Wanda", "Maria Grazia", "Anna Maria", "Maria Teresa", "Maria Luisa", "Maria Rosaria", "Gabriella", "Graziella", "Mirella", "Ornella",
		"Silvana", "Loredana", "Rosanna", "Nicoletta", "Ermenegilda", "Fiorenza",
	}
	femaleMid = []string{
		"Laura", "Cristina", "Barbara", "Patrizia", "Roberta", "Monica", "Daniela", "Simona", "Elisabetta", "Alessandra",
		"Stefania", "Silvia", "Sabrina", "Claudia", "Valeria", "Federica", "Manuela", "Elisa", "Chiara", "Sara",
		"Francesca", "Paola", "Raffaella", "Tiziana", "Antonella", "Emanuela", "Michela", "Cinzia", "Lorena", "Katia",
		"Debora", "Serena", "Valentina", "Veronica", "Ilaria", "Erika", "Jessica", "Martina", "Nadia", "Anna Lisa",
	}
	femaleYoung = []string{
		"Sofia", "Giulia", "Aurora", "Alice", "Ginevra", "Emma", "Giorgia", "Greta", "Beatrice", "Anna",
		"Chiara", "Ludovica", "Matilde", "Vittoria", "Camilla", "Bianca", "Nicole", "Rebecca", "Gaia", "Arianna",
		"Noemi", "Martina", "Sara", "Elisa", "Viola", "Azzurra", "Asia", "Mia", "Diletta", "Adele",
		"Miriam", "Carlotta", "Francesca", "Marta", "Giada", "Irene", "Benedetta", "Elena", "Caterina", "Cecilia",
		"Agata", "Nina", "Rachele", "Ilenia", "Zoe", "Maria Vittoria", "Anna Sofia", "Ludovica", "Amelia", "Penelope",
	}
)

// givenName draws the name of a person of sex born in year: mostly from the
// names of the generation, sometimes from the one before or after, as
// families pass a grandparent's name on.
func (g *generator) givenName(sex string, year int) string {
	old, mid, young := maleOld, maleMid, maleYoung
	if sex == "F" {
		old, mid, young = femaleOld, femaleMid, femaleYoung
	}
	x := g.rng.Float64()
	switch {
	case year < 1955:
		if x < 0.8 {
			return g.pick(old)
		}
		return g.pick(mid)
	case year < 1985:
		if x < 0.15 {
			return g.pick(old)
		}
		if x < 0.9 {
			return g.pick(mid)
		}
		return g.pick(young)
	default:
		if x < 0.08 {
			return g.pick(old)
		}
		if x < 0.3 {
			return g.pick(mid)
		}
		return g.pick(young)
	}
}
