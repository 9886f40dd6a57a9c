console.log('w')
