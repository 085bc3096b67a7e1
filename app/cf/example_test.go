package cf_test

import (
	"fmt"
	"time"

	"github.com/sportello/sportello/app/cf"
)

func ExampleParse() {
	info, err := cf.Parse("rssmra85t10a56nh")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Code, info.Sex, info.BirthDate.Format("2006-01-02"), info.BirthPlaceCode, info.Omocodia)

	_, err = cf.Parse("RSSMRA85T10A562T")
	fmt.Println(err)
	// Output:
	// RSSMRA85T10A56NH M 1985-12-10 A562 true
	// codice fiscale: carattere di controllo errato (atteso S)
}

func ExampleCompute() {
	code, err := cf.Compute(cf.Person{
		Surname:        "D'Angelo",
		Name:           "Gianfranco",
		Sex:            "M",
		BirthDate:      time.Date(1962, time.July, 4, 0, 0, 0, 0, time.UTC),
		BirthPlaceCode: "H501",
	})
	fmt.Println(code, err)
	// Output: DNGGFR62L04H501R <nil>
}

func ExampleOmocode() {
	for n := 1; n <= 7; n++ {
		code, _ := cf.Omocode("RSSMRA85T10A562S", n)
		fmt.Println(n, code)
	}
	// Output:
	// 1 RSSMRA85T10A56NH
	// 2 RSSMRA85T10A5SNT
	// 3 RSSMRA85T10ARSNO
	// 4 RSSMRA85T1LARSNR
	// 5 RSSMRA85TMLARSNC
	// 6 RSSMRA8RTMLARSNO
	// 7 RSSMRAURTMLARSNL
}
