package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The kiosk's start screen, where it rests between citizens: take a
// ticket, identify for the self-service, read the albo pretorio.

func (k *Kiosk) showStart() { k.set("start", newKioskStartScreen(k)) }

func newKioskStartScreen(k *Kiosk) fyne.CanvasObject {
	l := k.lang
	take := widget.NewButtonWithIcon(l.text(msgKioskTakeTicket), theme.ContentAddIcon(), k.tap(k.onTakeTicket))
	take.Importance = widget.HighImportance
	ident := widget.NewButtonWithIcon(l.text(msgKioskIdentify), theme.AccountIcon(), k.tap(k.onIdentifyStart))
	albo := widget.NewButtonWithIcon(l.text(msgKioskAlbo), theme.DocumentIcon(), k.tap(k.onAlbo))
	menu := container.NewVBox(bigText(l.text(msgKioskTouch), 30, false), layout.NewSpacer(),
		big(take, 720), big(ident, 720), big(albo, 720))
	return k.frame("", container.NewCenter(menu), nil)
}

func (k *Kiosk) onTakeTicket()    { k.showAreas() }
func (k *Kiosk) onIdentifyStart() { k.showIdentify() }
func (k *Kiosk) onAlbo()          { k.showAlbo() }
